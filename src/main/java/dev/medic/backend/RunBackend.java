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
     * Stops what the attempts of supervisors that died left running here (what {@code medic
     * cleanup} does for this backend), one line each; a resumed run does this before its first attempt.
     */
    default List<String> stopLeftovers() throws InterruptedException {
        return List.of();
    }

    /**
     * Runs a one-off command where the attempts run (a package install that the next attempt must
     * see), with a time limit, its output saved to {@code log}.
     */
    CommandResult runCommand(RunSpec like, List<String> argv, Map<String, String> env, Duration timeout, Path log)
            throws InterruptedException;
}
