package dev.medic.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the commands that read runs back (history, ps, logs, stop, gc) find them. */
final class RunDirs {
    @Option(names = "--run-dir", paramLabel = "DIR", defaultValue = ".medic/runs", description = "Where run folders are (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Option(names = "--sweep-dir", paramLabel = "DIR", defaultValue = ".medic/sweeps", description = "Where sweep folders are (default: ${DEFAULT-VALUE}).")
    Path sweepDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML); default ./medic.yaml when present.")
    Path config;

    /** The folder of the run RUN names (see {@link RunRef}). */
    Path resolve(String run) {
        return RunRef.resolve(run, runDir, sweepDir);
    }
}
