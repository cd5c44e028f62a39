package dev.medic.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A failure found in one attempt, with the lines that show it. Detection rules insert it and add
 * evidence; the root-cause rules mark at most one per attempt as {@code root}.
 */
public final class Failure {
    /** Evidence lines kept per failure; later matches are counted, not stored. */
    public static final int MAX_EVIDENCE = 20;

    private final String id;
    private final int attempt;
    private final boolean retryable;
    private final List<String> consequenceOf;
    private final int stopAfter;
    private long order;
    private final List<Evidence> evidence = new ArrayList<>();
    private int matchCount;
    private long lastLine = -1;
    private boolean root;
    private boolean consequence;

    private Failure(CatalogEntry entry, int attempt, long order) {
        this.id = entry.getId();
        this.attempt = attempt;
        this.retryable = entry.isRetryable();
        this.consequenceOf = entry.getConsequenceOf();
        this.stopAfter = entry.getStopAfter();
        this.order = order;
    }

    /** A failure first seen in a log line; it orders by its earliest line. */
    public static Failure fromLine(CatalogEntry entry, LogEvent e) {
        Failure f = new Failure(entry, e.getAttempt(), e.getLineNo());
        f.addEvidence(e);
        return f;
    }

    /** A failure seen only in how the attempt ended; it orders after every log line. */
    public static Failure fromStatus(CatalogEntry entry, Attempt a, String why) {
        Failure f = new Failure(entry, a.getNumber(), Long.MAX_VALUE);
        f.evidence.add(Evidence.ofStatus(why));
        f.matchCount = 1;
        return f;
    }

    /**
     * A failure the system's records show ({@link Attempt#getOomRecords()}), one evidence entry
     * of stream {@code system} per record; it orders after every log line, as a status does.
     */
    public static Failure fromRecords(CatalogEntry entry, Attempt a) {
        Failure f = new Failure(entry, a.getNumber(), Long.MAX_VALUE);
        f.addRecords(a.getOomRecords());
        return f;
    }

    /** Adds the system's records as evidence, ahead of the log lines (line number 0 sorts first). */
    public void addRecords(List<String> records) {
        int at = 0;
        for (String r : records) {
            matchCount++;
            if (evidence.size() < MAX_EVIDENCE) {
                evidence.add(at++, Evidence.ofSystem(r));
            }
        }
    }

    /** True once the system's records are part of the evidence. */
    public boolean isRecorded() {
        return evidence.stream().anyMatch(e -> Evidence.SYSTEM.equals(e.stream()));
    }

    public String getId() {
        return id;
    }

    public int getAttempt() {
        return attempt;
    }

    public boolean isRetryable() {
        return retryable;
    }

    public List<String> getConsequenceOf() {
        return consequenceOf;
    }

    public int getStopAfter() {
        return stopAfter;
    }

    /** Position for root-cause ranking: the first evidence line, or Long.MAX_VALUE for status-only failures. */
    public long getOrder() {
        return order;
    }

    public List<Evidence> getEvidence() {
        return Collections.unmodifiableList(evidence);
    }

    /** How many lines matched, including those beyond the stored evidence. */
    public int getMatchCount() {
        return matchCount;
    }

    public boolean isRoot() {
        return root;
    }

    public void setRoot(boolean root) {
        this.root = root;
    }

    /** True once the root-cause rules found another failure of the attempt that causes this one. */
    public boolean isConsequence() {
        return consequence;
    }

    public void setConsequence(boolean consequence) {
        this.consequence = consequence;
    }

    public boolean isConsequenceOf(Failure other) {
        return other != this && consequenceOf.contains(other.id);
    }

    /** True when this line is already counted (it is stored, or it was the last one added past the cap). */
    public boolean hasLine(long lineNo) {
        if (lineNo == lastLine) {
            return true;
        }
        for (Evidence e : evidence) {
            if (e.lineNo() == lineNo) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds a line. Lines can arrive out of order (kept lines are confirmed when the attempt ends),
     * so the evidence stays sorted and the failure orders by its earliest line.
     */
    public void addEvidence(LogEvent e) {
        matchCount++;
        lastLine = e.getLineNo();
        order = Math.min(order, e.getLineNo());
        Evidence ev = new Evidence(e.getLineNo(), e.getStream(), e.getText(), e.getPrecededBy(), e.isContinues());
        int at = evidence.size();
        while (at > 0 && evidence.get(at - 1).lineNo() > ev.lineNo()) {
            at--;
        }
        if (evidence.size() < MAX_EVIDENCE) {
            evidence.add(at, ev);
        } else if (at < evidence.size()) {
            evidence.remove(evidence.size() - 1);
            evidence.add(at, ev);
        }
    }

    public void addStatusEvidence(String why) {
        matchCount++;
        if (evidence.size() < MAX_EVIDENCE) {
            evidence.add(Evidence.ofStatus(why));
        }
    }

    /**
     * True when the first evidence line says something that a fix could change (it has a number:
     * a size, a step, a count). Without one, "the same failure came back unchanged" tells nothing.
     */
    public boolean isInformative() {
        if (evidence.isEmpty()) {
            return false;
        }
        String t = evidence.get(0).text();
        for (int i = 0; i < t.length(); i++) {
            if (Character.isDigit(t.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What makes two occurrences "the same failure, unchanged": the id and the first evidence text
     * with surrounding blanks removed.
     */
    public String getFingerprint() {
        return id + "|" + (evidence.isEmpty() ? "" : evidence.get(0).text().strip());
    }

    @Override
    public String toString() {
        return id + " (attempt " + attempt + (root ? ", root" : "") + ")";
    }
}
