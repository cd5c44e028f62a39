package dev.medic.notify;

import dev.medic.logs.Ansi;

import java.io.PrintStream;

/** Prints the escalation to a stream (the terminal's standard error, given by the CLI). */
public final class ConsoleNotifier implements Notifier {
    private final PrintStream out;

    public ConsoleNotifier(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public String send(Escalation e) {
        StringBuilder b = new StringBuilder();
        for (String line : MessageText.bodyLines(e)) {
            b.append("medic: ").append(Ansi.strip(line)).append('\n');
        }
        out.print(b);
        out.flush();
        return "printed";
    }
}
