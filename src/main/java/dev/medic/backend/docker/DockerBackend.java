package dev.medic.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import dev.medic.ExitCodes;
import dev.medic.backend.AttemptTag;
import dev.medic.backend.BackendException;
import dev.medic.backend.CommandResult;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.facts.RunSpec;
import dev.medic.util.Hosts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs each attempt in a fresh container (the only class tree that imports docker-java). The
 * container gets the variables named with {@code --env} and every variable a fix changed (so CPU
 * fallback, allocator settings and batch-size variables reach it), the limits of the spec, the
 * labels {@code medic.run}, {@code medic.attempt} and {@code medic.supervisor}, and no network
 * unless asked. GPU requests are dropped once a fix has hidden the GPUs ({@code CUDA_VISIBLE_DEVICES=}).
 */
public final class DockerBackend implements RunBackend {
    public static final String LABEL_RUN = "medic.run";
    public static final String LABEL_ATTEMPT = "medic.attempt";
    public static final String LABEL_SUPERVISOR = "medic.supervisor";

    private final DockerClient docker;
    private final DockerSpec spec;
    private final Map<String, String> ownEnv;

    public DockerBackend(DockerClient docker, DockerSpec spec, Map<String, String> ownEnv) {
        this.docker = docker;
        this.spec = spec;
        this.ownEnv = Map.copyOf(ownEnv);
        requireImage(docker, spec.image());
        checkStorageSize();
    }

    /** Who supervises a container: this process, on this host (for `medic cleanup`). */
    public static String supervisorLabel() {
        long[] self = dev.medic.util.Supervisors.self();
        return self[0] + "@" + Hosts.name() + "@" + self[1];
    }

    @Override
    public List<String> stopLeftovers() {
        return new DockerCleanup(docker).removeOrphans();
    }

    @Override
    public List<String> stopLeftovers(AttemptTag run, int adopted) {
        return new DockerCleanup(docker).removeOrphans(run.runId());
    }

    @Override
    public String name() {
        return "docker";
    }

    /** The image must be on the engine already: medic never pulls. */
    static void requireImage(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw new BackendException(ExitCodes.BAD_INPUT, "image '" + image + "' is not on this Docker engine"
                    + " (medic does not pull: docker pull or docker load it first)");
        } catch (DockerException e) {
            throw new BackendException(ExitCodes.BAD_INPUT, "image '" + image + "': " + DockerConnection.reason(e));
        }
    }

    /** The writable layer's size is a storage-driver option: overlay2 has it only on xfs with project quotas. */
    private void checkStorageSize() {
        if (spec.storageSize() == null) {
            return;
        }
        Info info = docker.infoCmd().exec();
        String driver = info.getDriver();
        String backing = "";
        if (info.getDriverStatuses() != null) {
            for (List<String> kv : info.getDriverStatuses()) {
                if (kv.size() == 2 && kv.get(0).equals("Backing Filesystem")) {
                    backing = kv.get(1);
                }
            }
        }
        boolean supported = switch (String.valueOf(driver)) {
            case "overlay2" -> backing.equals("xfs");
            case "devicemapper", "btrfs", "zfs", "windowsfilter" -> true;
            default -> false;
        };
        if (!supported) {
            throw new BackendException(ExitCodes.BAD_INPUT, "--storage-size is not supported by this engine's storage driver ("
                    + driver + (backing.isEmpty() ? "" : " on " + backing) + "); it needs overlay2 on xfs with pquota,"
                    + " devicemapper, btrfs or zfs. Limit the output folder with a volume instead");
        }
    }

    @Override
    public RunningAttempt start(RunSpec run, AttemptTag tag, OutputSink sink) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_RUN, tag.runId());
        labels.put(LABEL_ATTEMPT, Integer.toString(tag.attempt()));
        labels.put(LABEL_SUPERVISOR, supervisorLabel());
        CreateContainerCmd create = docker.createContainerCmd(spec.image())
                .withCmd(run.getArgv())
                .withEnv(environment(run))
                .withLabels(labels)
                .withTty(false)
                .withAttachStdin(false)
                .withHostConfig(hostConfig(run));
        if (spec.workdir() != null) {
            create.withWorkingDir(spec.workdir());
        }
        if (spec.user() != null) {
            create.withUser(spec.user());
        }
        String id;
        try {
            id = create.exec().getId();
        } catch (DockerException | IllegalArgumentException e) {
            return refused(e, sink);
        }
        try {
            docker.startContainerCmd(id).exec();
        } catch (DockerException e) {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // nothing to clean
            }
            return refused(e, sink);
        }
        return new DockerAttempt(docker, id, spec.keepContainers(), sink);
    }

    /**
     * A one-off container of the run's image, with its mounts, network, user and environment (a
     * package install onto a package volume the next attempt's container sees). Its output is
     * saved to {@code log}; it is removed afterwards, and killed at the time limit.
     */
    @Override
    public CommandResult runCommand(RunSpec like, List<String> argv, Map<String, String> env, java.time.Duration timeout,
                                    java.nio.file.Path log) throws InterruptedException {
        CreateContainerCmd create = docker.createContainerCmd(spec.image()).withCmd(argv).withEnv(environment(like))
                .withLabels(Map.of(LABEL_RUN, "fix-action", LABEL_SUPERVISOR, supervisorLabel()))
                .withHostConfig(hostConfig(like).withReadonlyRootfs(false));
        if (spec.workdir() != null) {
            create.withWorkingDir(spec.workdir());
        }
        if (spec.user() != null) {
            create.withUser(spec.user());
        }
        String id;
        try {
            id = create.exec().getId();
            docker.startContainerCmd(id).exec();
        } catch (DockerException e) {
            return new CommandResult(false, "Docker refused the container: " + DockerConnection.reason(e), List.of());
        }
        try {
            Integer code;
            try {
                code = docker.waitContainerCmd(id).exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
                        .awaitStatusCode(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                code = null;
            }
            saveLogs(id, log);
            if (code == null) {
                return new CommandResult(false, "timed out after " + dev.medic.util.Durations.format(timeout),
                        CommandResult.tailOf(log, 20));
            }
            return new CommandResult(code == 0, "exit code " + code, CommandResult.tailOf(log, 20));
        } finally {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    private void saveLogs(String id, java.nio.file.Path log) throws InterruptedException {
        // appended without following a link: the run folder may be visible to the container
        try (java.io.OutputStream out = java.nio.channels.Channels.newOutputStream(java.nio.channels.FileChannel.open(log,
                java.util.Set.of(java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND,
                        java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(dev.medic.util.PrivateFolder.FILE_MODE)))) {
            var callback = docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                    .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame f) {
                            try {
                                out.write(f.getPayload());
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
            callback.awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.io.IOException | RuntimeException e) {
            // the result still stands; its output is what could be saved
        }
    }

    /** An engine refusal: a missing GPU runtime is a failure the ladder can fix; anything else is bad input. */
    private RunningAttempt refused(RuntimeException e, OutputSink sink) {
        String reason = DockerConnection.reason(e);
        if (reason.contains("could not select device driver") || reason.contains("nvidia-container-cli")) {
            return new FailedStart(reason, sink);
        }
        throw new BackendException(ExitCodes.BAD_INPUT, "Docker refused the container: " + reason);
    }

    /** What the container sees: the names given with --env, and every variable a fix set or changed. */
    List<String> environment(RunSpec run) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : spec.env()) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.put(e.substring(0, eq), e.substring(eq + 1));
            } else if (ownEnv.containsKey(e)) {
                env.put(e, ownEnv.get(e));
            }
        }
        for (String name : run.envChangedFrom(ownEnv)) {
            String v = run.getEnv().get(name);
            if (v != null) {
                env.put(name, v);
            } else {
                env.remove(name);
            }
        }
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private HostConfig hostConfig(RunSpec run) {
        HostConfig h = HostConfig.newHostConfig().withNetworkMode(spec.network()).withReadonlyRootfs(spec.readOnly());
        if (spec.memory() != null) {
            h.withMemory(spec.memory());
        }
        if (spec.memorySwap() != null) {
            h.withMemorySwap(spec.memorySwap());
        }
        if (spec.cpus() != null) {
            h.withNanoCPUs((long) (spec.cpus() * 1e9));
        }
        if (spec.pidsLimit() != null) {
            h.withPidsLimit(spec.pidsLimit());
        }
        // a fix may have raised /dev/shm for this attempt (raise_shm_size)
        String shm = run.getBackendSettings().get("shm_size");
        if (shm != null) {
            h.withShmSize(Long.parseLong(shm));
        } else if (spec.shmSize() != null) {
            h.withShmSize(spec.shmSize());
        }
        if (!spec.volumes().isEmpty()) {
            h.withBinds(spec.volumes().stream().map(Bind::parse).toList());
        }
        if (!spec.mounts().isEmpty()) {
            h.withMounts(spec.mounts().stream().map(DockerBackend::mount).toList());
        }
        if (spec.storageSize() != null) {
            h.withStorageOpt(Map.of("size", spec.storageSize()));
        }
        String visible = run.getEnv().get("CUDA_VISIBLE_DEVICES");
        if (spec.gpus() != null && !"".equals(visible)) {
            h.withDeviceRequests(List.of(deviceRequest(spec.gpus())));
        }
        return h;
    }

    static DeviceRequest deviceRequest(String gpus) {
        DeviceRequest r = new DeviceRequest().withCapabilities(List.of(List.of("gpu")));
        if (gpus.equals("all")) {
            return r.withCount(-1);
        }
        if (gpus.startsWith("device=")) {
            return r.withDeviceIds(List.of(gpus.substring("device=".length()).replace("\"", "").split(",")));
        }
        return r.withCount(Integer.parseInt(gpus));
    }

    /** Checks a --mount value; IllegalArgumentException says what is wrong. */
    public static void checkMount(String text) {
        mount(text);
    }

    /** {@code type=bind,source=/a,target=/b[,readonly]} (also {@code src}/{@code dst}, {@code type=volume|tmpfs}). */
    static Mount mount(String text) {
        Mount m = new Mount().withType(MountType.BIND);
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            String k = kv[0].strip();
            String v = kv.length > 1 ? kv[1].strip() : "";
            switch (k) {
                case "type" -> m.withType(MountType.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
                case "source", "src" -> m.withSource(v);
                case "target", "dst", "destination" -> m.withTarget(v);
                case "readonly", "ro" -> m.withReadOnly(v.isEmpty() || Boolean.parseBoolean(v));
                default -> throw new IllegalArgumentException("--mount: unknown field '" + k + "'");
            }
        }
        if (m.getTarget() == null) {
            throw new IllegalArgumentException("--mount needs a target");
        }
        return m;
    }
}
