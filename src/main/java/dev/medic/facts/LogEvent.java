package dev.medic.facts;

import java.util.List;

/**
 * A line of an attempt's output. Only lines that some catalog signature matched reach the rule
 * session; {@link #getHits()} names the signatures, so rules need not run the regex again.
 */
public final class LogEvent {
    private final int attempt;
    private final String stream;
    private final long lineNo;
    private final String text;
    private final long timeMillis;
    private final List<Signature> hits;
    private final String precededBy;
    private final boolean continues;

    public LogEvent(int attempt, String stream, long lineNo, String text, long timeMillis, List<Signature> hits) {
        this(attempt, stream, lineNo, text, timeMillis, hits, "", false);
    }

    /**
     * A piece of a line longer than the splitter's limit: {@code precededBy} is the end of the piece
     * before it (empty for the first), {@code continues} says another piece follows.
     */
    public LogEvent(int attempt, String stream, long lineNo, String text, long timeMillis, List<Signature> hits,
                    String precededBy, boolean continues) {
        this.precededBy = precededBy;
        this.continues = continues;
        this.attempt = attempt;
        this.stream = stream;
        this.lineNo = lineNo;
        this.text = text;
        this.timeMillis = timeMillis;
        this.hits = List.copyOf(hits);
    }

    public int getAttempt() {
        return attempt;
    }

    public String getStream() {
        return stream;
    }

    /** 1-based line number in the attempt's log file. */
    public long getLineNo() {
        return lineNo;
    }

    public String getText() {
        return text;
    }

    public long getTimeMillis() {
        return timeMillis;
    }

    public List<Signature> getHits() {
        return hits;
    }

    /** The end of the previous piece of this line; empty unless the line was cut before this piece. */
    public String getPrecededBy() {
        return precededBy;
    }

    /** True when the line was cut after this piece. */
    public boolean isContinues() {
        return continues;
    }

    /**
     * True when no other failure claims this line: every plain signature it matched belongs to
     * {@code failureId}. Another failure's by_rule signatures do not count; their rules decide apart.
     */
    public boolean onlyHits(String failureId) {
        for (Signature s : hits) {
            if (!s.getFailureId().equals(failureId) && !s.isByRule()) {
                return false;
            }
        }
        return true;
    }

    public boolean textContains(String literal) {
        return text.contains(literal);
    }

    @Override
    public String toString() {
        return "attempt " + attempt + " line " + lineNo + " [" + stream + "] " + text;
    }
}
