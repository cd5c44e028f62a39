package dev.medic.backend;

import dev.medic.facts.RunSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs attempts somewhere: a local process, a container, a batch job. */
public interface RunBackend {
    String name();

    RunningAttempt start(RunSpec spec, AttemptTag tag, OutputSink sink);

    /**
     * Begins, in the background, what the next {@link #start} would otherwise wait for, so that
     * it overlaps the supervisor's own preparations.
     */
    default void prepare() {
    }

    /**
     * Stops what the attempts of supervisors that died left running here (what {@code medic
     * cleanup} does for this backend), one line each; a resumed run does this before its first attempt.
     */
    default List<String> stopLeftovers() throws InterruptedException {
        return List.of();
    }

    /**
     * What a resumed run stops before it goes on: what earlier supervisors of the run {@code run}
     * names left running, except the attempt {@code adopted} (0: none) that it takes up again.
     * Backends that cannot tell runs apart stop what every dead supervisor left.
     */
    default List<String> stopLeftovers(AttemptTag run, int adopted) throws InterruptedException {
        return stopLeftovers();
    }

    /** Whether an attempt outlives a killed supervisor and can be taken up again ({@link #adoptable}). */
    default boolean adopts() {
        return false;
    }

    /**
     * The attempt {@code tag} names, left by a supervisor that died, if there is still something to
     * take up: its processes, or its output and exit status once it ended. {@code started} holds
     * the fields of its {@code attempt_started} record. Null when nothing is left of it.
     */
    default Adoptable adoptable(AttemptTag tag, Map<String, String> started) {
        return null;
    }

    /**
     * Drops what a supervisor that died kept for attempt {@code tag} (its {@code attempt_started}
     * fields in {@code started}) once nobody will take it up: its processes are stopped already.
     */
    default void discard(AttemptTag tag, Map<String, String> started) {
    }

    /** An attempt a new supervisor can take up. */
    interface Adoptable {
        /** Follows its output from these offsets of each stream on into {@code sink}, and its end. */
        RunningAttempt follow(long stdoutFrom, long stderrFrom, OutputSink sink);

        /** When it last wrote output (epoch ms), 0 when never: its stall clock runs from there. */
        long lastOutputMillis();
    }

    /**
     * Runs a one-off command where the attempts run (a package install that the next attempt must
     * see), with a time limit, its output saved to {@code log}.
     */
    CommandResult runCommand(RunSpec like, List<String> argv, Map<String, String> env, Duration timeout, Path log)
            throws InterruptedException;
}
