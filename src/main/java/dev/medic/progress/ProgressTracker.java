package dev.medic.progress;

import java.util.Map;

/**
 * The latest known progress of one attempt, merged from the progress lines seen so far (a line
 * that gives only a loss keeps the step known before), and when it last advanced: when a step or
 * epoch went past the one known before. Safe to update from the thread that reads the output
 * while others read it (the supervisor's stall check, {@code medic ps}).
 */
public final class ProgressTracker {
    private Progress latest = Progress.NONE;
    private long lastAdvancedMillis = -1;
    private long lastUpdateMillis = -1;

    /**
     * Lays {@code p} over what is known. Returns true when it advanced the run: its step or epoch
     * is past the latest known one, or is the first known. A step that goes back (a new bar) is
     * taken as the latest without advancing, so the step after it advances again.
     */
    public synchronized boolean update(Progress p, long nowMillis) {
        if (p == null || p.isEmpty()) {
            return false;
        }
        boolean advanced = p.advancesFrom(latest);
        latest = p.over(latest);
        lastUpdateMillis = nowMillis;
        if (advanced) {
            lastAdvancedMillis = nowMillis;
        }
        return advanced;
    }

    /** What is known now; {@link Progress#NONE} before any progress line. */
    public synchronized Progress latest() {
        return latest;
    }

    /** When a step or epoch last advanced (epoch milliseconds), or -1 when none has yet. */
    public synchronized long lastAdvancedMillis() {
        return lastAdvancedMillis;
    }

    /** When the last progress line was taken (epoch milliseconds), or -1 when none has been. */
    public synchronized long lastUpdateMillis() {
        return lastUpdateMillis;
    }

    /** {@link Progress#toFields()} of what is known now; empty before any progress line. */
    public Map<String, Object> toFields() {
        return latest().toFields();
    }
}
