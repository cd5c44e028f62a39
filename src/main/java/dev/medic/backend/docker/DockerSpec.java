package dev.medic.backend.docker;

import java.util.List;

/**
 * How attempts run in containers; mirrors {@code docker run}. Sizes are bytes, null when unset.
 *
 * @param network     default {@code none}: an experiment gets no network unless asked
 * @param gpus        {@code all}, a count, or {@code device=0,1}; null for none
 * @param env         {@code NAME=VALUE}, or {@code NAME} to pass medic's own value through
 * @param storageSize the container's writable layer limit, only where the storage driver supports one
 */
public record DockerSpec(String image, Long memory, Long memorySwap, Double cpus, Long pidsLimit, Long shmSize, String gpus,
                         List<String> volumes, List<String> mounts, String workdir, List<String> env, String user,
                         String network, String storageSize, boolean readOnly, boolean keepContainers) {
    public DockerSpec {
        volumes = List.copyOf(volumes);
        mounts = List.copyOf(mounts);
        env = List.copyOf(env);
        network = network == null ? "none" : network;
    }

    /** The same spec with other GPU requests (a sweep trial's own GPUs). */
    public DockerSpec withGpus(String newGpus) {
        return new DockerSpec(image, memory, memorySwap, cpus, pidsLimit, shmSize, newGpus, volumes, mounts, workdir, env, user,
                network, storageSize, readOnly, keepContainers);
    }
}
