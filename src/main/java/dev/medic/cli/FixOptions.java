package dev.medic.cli;

import dev.medic.MedicException;
import dev.medic.supervise.RunOptions;
import dev.medic.util.ByteSizes;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

/**
 * The fix settings that come from the command line, for {@code medic run} and {@code medic sweep} alike: how pip
 * installs, where checkpoints go, and what a container run lets pip_install and raise_shm_size do.
 */
final class FixOptions {
    @Option(names = "--pip", paramLabel = "CMD", description = "How to run pip for pip_install, e.g. '/venv/bin/python -m pip' (split at spaces; default: the interpreter the command runs, with -m pip).")
    String pip;

    @Option(names = "--pip-policy", paramLabel = "POLICY", description = "known (default): install only modules in the catalog's package map or allow-list; any: also unknown names. The deny-list always wins.")
    String pipPolicy;

    @Option(names = "--pip-target", paramLabel = "DIR", description = "With --backend docker: a writable package volume inside the container; pip_install installs there (needs a network or PIP_FIND_LINKS).")
    String pipTarget;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Where the run writes checkpoints (repeatable): every retry resumes from the newest one.")
    List<String> checkpointDirs;

    /** Refuses a --pip-policy other than known or any. */
    void check() {
        if (pipPolicy != null && !pipPolicy.equals("known") && !pipPolicy.equals("any")) {
            throw MedicException.badInput("--pip-policy must be known or any, not '" + pipPolicy + "'");
        }
    }

    /**
     * {@code options} with the fix settings these flags give; when attempts run in containers ({@code inContainer}),
     * also what the container's options allow: pip_install installs onto --pip-target when a package index is
     * reachable (a network, or PIP_FIND_LINKS), and raise_shm_size may grow /dev/shm.
     */
    RunOptions apply(RunOptions options, boolean inContainer, DockerOptions docker) {
        check();
        if (pip != null) {
            options = options.withFixSettings("pip_install", Map.of("command", List.of(pip.trim().split("\\s+"))));
        }
        if (pipPolicy != null) {
            options = options.withFixSettings("pip_install", Map.of("policy", pipPolicy));
        }
        if (checkpointDirs != null && !checkpointDirs.isEmpty()) {
            options = options.withFixSettings("resume_from_checkpoint", Map.of("dirs", List.copyOf(checkpointDirs)));
        }
        if (inContainer) {
            // a package installed in one attempt's container is gone with it: say what to add to the image
            boolean indexReachable = !"none".equals(docker.network)
                    || (docker.env != null && docker.env.stream().anyMatch(e -> e.startsWith("PIP_FIND_LINKS")));
            options = options.withFixSettings("pip_install", Map.of("in_container", true, "index_reachable", indexReachable,
                    "target", pipTarget == null ? "" : pipTarget));
            options = options.withFixSettings("raise_shm_size", Map.of("in_container", true));
        }
        return options;
    }

    /** What a fix may change about where an attempt runs, as the command line starts it: a container's /dev/shm size. */
    static Map<String, String> backendSettings(boolean inContainer, DockerOptions docker) {
        return inContainer && docker.shmSize != null ? Map.of("shm_size", Long.toString(ByteSizes.parse(docker.shmSize))) : Map.of();
    }
}
