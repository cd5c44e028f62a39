package dev.medic.facts;

import java.util.List;

/** A failure the catalog defines: how to recognise it, whether retrying can help, and its fix ladder. */
public final class CatalogEntry {
    private final String id;
    private final String description;
    private final boolean retryable;
    private final List<String> consequenceOf;
    private final int stopAfter;
    private final List<Signature> signatures;
    private final List<LadderStep> ladder;
    private final String escalation;
    private final String source;

    public CatalogEntry(String id, String description, boolean retryable, List<String> consequenceOf, int stopAfter,
                        List<Signature> signatures, List<LadderStep> ladder, String escalation, String source) {
        this.id = id;
        this.description = description;
        this.retryable = retryable;
        this.consequenceOf = List.copyOf(consequenceOf);
        this.stopAfter = stopAfter;
        this.signatures = List.copyOf(signatures);
        this.ladder = List.copyOf(ladder);
        this.escalation = escalation;
        this.source = source;
    }

    public String getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }

    public boolean isRetryable() {
        return retryable;
    }

    public List<String> getConsequenceOf() {
        return consequenceOf;
    }

    /** Stop a live attempt once this many lines matched (0: let the attempt end by itself). */
    public int getStopAfter() {
        return stopAfter;
    }

    public List<Signature> getSignatures() {
        return signatures;
    }

    public List<LadderStep> getLadder() {
        return ladder;
    }

    public String getEscalation() {
        return escalation;
    }

    /** The file the entry came from, for messages. */
    public String getSource() {
        return source;
    }

    @Override
    public String toString() {
        return id;
    }
}
