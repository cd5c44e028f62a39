package dev.medic.facts;

/** A log line (or an exit status) that shows a failure. */
public record Evidence(long lineNo, String stream, String text) {
    /** Evidence that is not a log line, e.g. the exit status; line number 0. */
    public static Evidence ofStatus(String text) {
        return new Evidence(0, "status", text);
    }

    @Override
    public String toString() {
        return lineNo > 0 ? lineNo + ": " + text : text;
    }
}
