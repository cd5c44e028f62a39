package dev.medic.cli;

import dev.medic.journal.Event;
import dev.medic.logs.Ansi;

import java.io.PrintStream;

/** Prints each journal event of a live run as it is written, one readable line each (see {@link EventText#live}). */
final class ConsoleReporter {
    private final PrintStream out;

    ConsoleReporter(PrintStream out) {
        this.out = out;
    }

    void onRecord(Event e) {
        String line = EventText.live(e);
        if (line != null) {
            // log text in a record (evidence, a reason) never steers the terminal, whoever wrote the journal
            out.println("medic: " + Ansi.strip(line));
            out.flush();
        }
    }
}
