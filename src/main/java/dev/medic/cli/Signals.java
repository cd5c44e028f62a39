package dev.medic.cli;

import sun.misc.Signal;

import java.util.function.Consumer;

/**
 * SIGINT and SIGTERM ask the supervisor to stop (it stops the child's whole group and writes the
 * journal's last record) instead of killing the JVM outright; the command then exits 130 or 143.
 */
final class Signals {
    private Signals() {
    }

    /** A detached supervisor outlives the terminal that started it: a hangup does not end it. */
    static void ignoreHangup() {
        try {
            Signal.handle(new Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException e) {
            // reserved by a JVM option: setsid already keeps the terminal's hangup away
        }
    }

    static void onInterrupt(Consumer<String> stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.accept(name));
            } catch (IllegalArgumentException e) {
                // the signal is not available here (a JVM option reserves it): the default exit stays
            }
        }
    }
}
