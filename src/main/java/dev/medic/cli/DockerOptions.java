package dev.medic.cli;

import dev.medic.MedicException;
import dev.medic.backend.docker.DockerSpec;
import dev.medic.util.ByteSizes;
import picocli.CommandLine.Option;

import java.util.List;

/** `medic run --backend docker` options; they mirror `docker run`. */
final class DockerOptions {
    @Option(names = "--image", paramLabel = "IMAGE", description = "The image each attempt's container runs (docker backend).")
    String image;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Container memory limit, e.g. 16g.")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "SIZE", description = "Memory plus swap limit (as docker run).")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs the container may use, e.g. 4 or 1.5.")
    Double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Most processes in the container.")
    Long pidsLimit;

    @Option(names = "--shm-size", paramLabel = "SIZE", description = "Size of /dev/shm, e.g. 8g (data-loader workers need it).")
    String shmSize;

    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro]", description = "Bind mount (repeatable).")
    List<String> volumes;

    @Option(names = "--mount", paramLabel = "SPEC", description = "type=bind|volume|tmpfs,source=...,target=...[,readonly] (repeatable).")
    List<String> mounts;

    @Option(names = "--workdir", paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME[=VALUE]", description = "Variable for the container; NAME alone passes medic's own value (repeatable).")
    List<String> env;

    @Option(names = "--user", paramLabel = "USER[:GROUP]", description = "User the container runs as.")
    String user;

    @Option(names = "--network", paramLabel = "NET", defaultValue = "none", description = "Container network (default: ${DEFAULT-VALUE}: no network unless asked).")
    String network;

    @Option(names = "--storage-size", paramLabel = "SIZE", description = "Limit of the container's writable layer; only where the storage driver supports it.")
    String storageSize;

    @Option(names = "--read-only", description = "Read-only root file system.")
    boolean readOnly;

    @Option(names = "--keep-containers", description = "Keep each attempt's container after its logs are saved.")
    boolean keepContainers;

    /** @param gpus {@code all}, a count, {@code device=0,1}, or null for none ({@code medic run --gpus}; a sweep gives each trial its own) */
    DockerSpec toSpec(String gpus) {
        if (image == null || image.isBlank()) {
            throw MedicException.badInput("--backend docker needs --image IMAGE");
        }
        if (gpus != null && !gpus.matches("all|[1-9][0-9]*|device=\"?[0-9a-zA-Z-]+(,[0-9a-zA-Z-]+)*\"?")) {
            throw MedicException.badInput("--gpus must be all, a count, or device=0,1 (not '" + gpus + "')");
        }
        if (cpus != null && !(cpus > 0)) {
            throw MedicException.badInput("--cpus must be more than 0");
        }
        if (mounts != null) {
            for (String m : mounts) {
                try {
                    dev.medic.backend.docker.DockerBackend.checkMount(m);
                } catch (IllegalArgumentException e) {
                    throw MedicException.badInput(e.getMessage().startsWith("--mount") ? e.getMessage() : "--mount " + m + ": " + e.getMessage());
                }
            }
        }
        return new DockerSpec(image, size("--memory", memory), size("--memory-swap", memorySwap), cpus, pidsLimit,
                size("--shm-size", shmSize), gpus, volumes == null ? List.of() : volumes, mounts == null ? List.of() : mounts,
                workdir, env == null ? List.of() : env, user, network, storageSize, readOnly, keepContainers);
    }

    private static Long size(String option, String value) {
        if (value == null) {
            return null;
        }
        if (value.equals("-1")) {
            return -1L;
        }
        try {
            return ByteSizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw MedicException.badInput(option + ": " + e.getMessage());
        }
    }
}
