package dev.medic.facts;

/**
 * A log line (or an exit status) that shows a failure. A line longer than the splitter's limit
 * comes in pieces: {@code precededBy} is the end of the piece before this one (empty when the line
 * starts here) and {@code continues} says the line goes on past this piece, so that a secret
 * straddling a cut can be masked on both sides of it.
 */
public record Evidence(long lineNo, String stream, String text, String precededBy, boolean continues) {
    /** The stream of evidence from the system's own records. */
    public static final String SYSTEM = "system";

    public Evidence {
        precededBy = precededBy == null ? "" : precededBy;
    }

    /** A whole line. */
    public Evidence(long lineNo, String stream, String text) {
        this(lineNo, stream, text, "", false);
    }

    /** Evidence that is not a log line, e.g. the exit status; line number 0. */
    public static Evidence ofStatus(String text) {
        return new Evidence(0, "status", text);
    }

    /** A record the system kept (the kernel's log, a cgroup counter), not the run's output; line number 0. */
    public static Evidence ofSystem(String text) {
        return new Evidence(0, SYSTEM, text);
    }

    @Override
    public String toString() {
        return lineNo > 0 ? lineNo + ": " + text : text;
    }
}
