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

    public LogEvent(int attempt, String stream, long lineNo, String text, long timeMillis, List<Signature> hits) {
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
