package dev.medic.cli;

import dev.medic.facts.Context;
import picocli.CommandLine.Option;

/** What a replayed log's machine looked like, for the rules that use it; unknown by default. */
final class ContextOptions {
    @Option(names = "--disk-free", paramLabel = "BYTES", description = "Free disk space where the run wrote (default: unknown).")
    Long diskFree;

    @Option(names = "--gpus", paramLabel = "N", description = "GPUs the run could see (default: unknown).")
    Integer gpus;

    Context toContext() {
        return new Context(diskFree == null ? -1 : diskFree, -1, gpus == null ? -1 : gpus);
    }
}
