package dev.medic.notify;

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
        b.append("medic: ESCALATED run ").append(e.runId()).append(" on ").append(e.host()).append('\n');
        b.append("  command:  ").append(e.command()).append('\n');
        b.append("  failure:  ").append(e.failure() == null ? "none" : e.failure()).append('\n');
        b.append("  reason:   ").append(e.reason()).append('\n');
        for (String line : e.evidence()) {
            b.append("  evidence: ").append(line).append('\n');
        }
        for (String a : e.attempts()) {
            b.append("  ").append(a).append('\n');
        }
        if (e.advice() != null && !e.advice().isBlank()) {
            b.append("  advice:   ").append(e.advice()).append('\n');
        }
        b.append("  logs:     ").append(e.runDir()).append('\n');
        out.print(b);
        out.flush();
        return "printed";
    }
}
