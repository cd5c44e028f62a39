package dev.medic.backend;

import dev.medic.facts.RunSpec;

/** Runs attempts somewhere: a local process, a container, a batch job. */
public interface RunBackend {
    String name();

    RunningAttempt start(RunSpec spec, AttemptTag tag, OutputSink sink);
}
