package dev.medic.journal;

import java.util.Locale;

/**
 * Every word medic uses for where a run stands: the ends a supervisor writes in {@code run_finished},
 * and the words of a run that has not finished, which only a reader can give it.
 */
public enum RunStatus {
    SUCCEEDED, FAILED, ESCALATED, INTERRUPTED, DRY_RUN,
    /** A supervisor holds the run (its lock says so). */
    RUNNING,
    /** Not finished, and nobody asked the lock: live, or its supervisor was killed ({@code medic history}). */
    RUNNING_MAYBE,
    /** Not finished, and no supervisor holds it: killed; {@code medic run --resume} continues it. */
    DEAD;

    /** The word as medic writes and prints it. */
    public String word() {
        return this == RUNNING_MAYBE ? "running?" : name().toLowerCase(Locale.ROOT);
    }

    /** True for the words a supervisor writes when a run ends. */
    public boolean ended() {
        return ordinal() <= DRY_RUN.ordinal();
    }

    /**
     * The status a journal's word names. A word this medic does not know is a newer medic's end for
     * a run: it ended, and nothing says it succeeded.
     */
    public static RunStatus of(String word) {
        for (RunStatus s : values()) {
            if (s.ended() && s.word().equals(word)) {
                return s;
            }
        }
        return FAILED;
    }

    @Override
    public String toString() {
        return word();
    }
}
