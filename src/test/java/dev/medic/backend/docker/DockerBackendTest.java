package dev.medic.backend.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.medic.ExitCodes;
import dev.medic.backend.BackendException;
import dev.medic.journal.RunStatus;
import dev.medic.supervise.Harness;
import dev.medic.supervise.RunResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Docker backend against a real engine (no mocks), with an image built from busybox without a registry. */
class DockerBackendTest {
    @TempDir
    Path tmp;
    DockerClient docker;

    @BeforeEach
    void engine() {
        docker = TestEngine.client();
    }

    private Harness harness(DockerSpec spec) {
        Harness h = new Harness(tmp);
        h.backend = new DockerBackend(docker, spec, System.getenv());
        return h;
    }

    private static DockerSpec with(java.util.function.UnaryOperator<DockerSpec> f) {
        return f.apply(TestEngine.spec());
    }

    @Test
    void aFailureInTheContainerLogsIsDetectedAndFixedOnTheNextAttempt() throws Exception {
        Harness h = harness(TestEngine.spec());
        RunResult r = h.run("train", "--batch-size", "1024");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals(4, r.attempts());
        JsonNode failure = Harness.events(r, "failure").get(0);
        assertEquals("cuda_oom", failure.path("failure").asText());
        assertEquals("stderr", failure.path("evidence").get(0).path("stream").asText(), "stdout and stderr are told apart");
        assertTrue(Harness.events(r, "attempt_started").get(0).path("process").asText().startsWith("container "));
        assertTrue(Files.readString(r.runDir().resolve("attempt-4.log")).contains("done"));
        assertEquals(List.of(), TestEngine.containersOf(r.runId()), "every container was removed after its logs were saved");
    }

    @Test
    void aContainerKilledByItsMemoryLimitIsHostOom() throws Exception {
        Harness h = harness(new DockerSpec(TestEngine.IMAGE, 32L << 20, 32L << 20, null, null, null, null, List.of(), List.of(),
                null, List.of(), null, "none", null, false, false));
        h.maxAttempts = 1;
        // a shell variable that grows past the limit
        RunResult r = h.run("sh", "-c", "echo filling; x=$(head -c 300000000 /dev/zero | tr '\\0' a); echo survived ${#x}");
        JsonNode failure = Harness.events(r, "failure").get(0);
        assertEquals("host_oom", failure.path("failure").asText(), Harness.journal(r).toString());
        assertEquals("system", failure.path("evidence").get(0).path("stream").asText(), "the engine's record is the evidence");
        assertEquals("Docker reported OOMKilled", failure.path("evidence").get(0).path("text").asText());
        JsonNode finished = Harness.events(r, "attempt_finished").get(0);
        assertEquals(137, finished.path("exit_code").asInt());
        assertEquals("Docker reported OOMKilled", finished.path("oom_evidence").asText());
        assertEquals(List.of(), TestEngine.containersOf(r.runId()));
    }

    @Test
    void limitsAreReallyAppliedInsideTheContainer() throws Exception {
        Harness h = harness(new DockerSpec(TestEngine.IMAGE, 64L << 20, null, 0.5, 50L, 16L << 20, null, List.of(), List.of(),
                "/tmp", List.of("MEDIC_TEST_VAR=hello"), "1234:1234", "none", null, true, false));
        h.maxAttempts = 1;
        RunResult r = h.run("sh", "-c", String.join("; ",
                "echo mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)",
                "echo pids=$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)",
                "echo cpu=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max)",
                "echo shm=$(df -k /dev/shm | tail -n 1)",
                "echo user=$(id -u):$(id -g) cwd=$(pwd) var=$MEDIC_TEST_VAR",
                "echo readonly; touch /x 2>/dev/null && echo writable || echo rootfs-readonly",
                "ls /sys/class/net"));
        String log = Files.readString(r.runDir().resolve("attempt-1.log"));
        assertTrue(log.contains("mem=67108864"), log);
        assertTrue(log.contains("pids=50"), log);
        assertTrue(log.contains("cpu=50000") , log);
        assertTrue(log.lines().anyMatch(l -> l.startsWith("shm=") && l.contains(" 16384 ")), log);
        assertTrue(log.contains("user=1234:1234 cwd=/tmp var=hello"), log);
        assertTrue(log.contains("rootfs-readonly"), log);
        assertEquals("lo", log.lines().reduce((a, b) -> b).orElse(""), "network none: only loopback");
    }

    @Test
    void sharedMemoryRunningOutRaisesTheContainersShmSize() throws Exception {
        Harness h = harness(TestEngine.spec());
        h.options(o -> o.withFixSettings("raise_shm_size", Map.of("in_container", true)));
        String script = String.join("; ",
                "set -- $(df -k /dev/shm | tail -n 1)",
                "echo shm_kb=$2",
                "if [ $2 -lt 200000 ]; then echo \"RuntimeError: DataLoader worker (pid $2) is killed by signal: Bus error. "
                        + "It is possible that dataloader's workers are out of shared memory.\" >&2; exit 1; fi",
                "echo trained");
        RunResult r = h.run("sh", "-c", script);
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        List<JsonNode> fixes = Harness.events(r, "fix_applied");
        assertEquals("raise_shm_size", fixes.get(0).path("fix").asText());
        assertEquals("shm-size: 64m -> 128m", fixes.get(0).path("changes").get(0).asText());
        assertEquals("shm-size: 128m -> 256m", fixes.get(1).path("changes").get(0).asText());
        assertTrue(Files.readString(r.runDir().resolve("attempt-3.log")).contains("shm_kb=262144"));
    }

    @Test
    void aMissingModuleIsInstalledOntoThePackageVolumeInAContainerOfTheRunsImage() throws Exception {
        String image = TestEngine.pythonImage();
        Path wheels = Files.createDirectories(tmp.resolve("wheels"));
        dev.medic.supervise.LadderEndToEndTest.writeWheel(wheels.resolve("medic_demo_pkg-1.0-py3-none-any.whl"));
        Path pkgs = Files.createDirectories(tmp.resolve("pkgs"));
        Harness h = harness(new DockerSpec(image, null, null, null, null, null, null,
                List.of(wheels + ":/wheels:ro", pkgs + ":/pkgs"), List.of(), "/tmp",
                List.of("PIP_FIND_LINKS=/wheels", "PIP_NO_INDEX=1", "PIP_DISABLE_PIP_VERSION_CHECK=1", "HOME=/tmp"), null, "none",
                null, false, false));
        h.catalog = dev.medic.Fixtures.copyDir(dev.medic.Fixtures.catalogDir(), tmp, "catalog");
        Path pip = h.catalog.resolve("pip.yaml");
        Files.writeString(pip, Files.readString(pip).replace("    packages:\n", "    packages:\n      medic_demo_pkg: medic-demo-pkg\n"));
        h.options(o -> o.withFixSettings("pip_install", Map.of("in_container", true, "index_reachable", true, "target", "/pkgs")));
        RunResult r = h.run("python3", "-c", "import medic_demo_pkg; print('value', medic_demo_pkg.VALUE)");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        JsonNode action = Harness.events(r, "fix_action").get(0);
        assertTrue(action.path("ok").asBoolean(), action.toString());
        assertEquals(List.of("python3", "-m", "pip", "install", "--no-input", "--target", "/pkgs", "medic-demo-pkg"),
                Harness.events(r, "fix_action").stream().findFirst().map(a -> {
                    List<String> l = new java.util.ArrayList<>();
                    a.path("argv").forEach(x -> l.add(x.asText()));
                    return l;
                }).orElseThrow());
        assertTrue(Files.isDirectory(pkgs.resolve("medic_demo_pkg")), "installed onto the volume");
        assertTrue(Files.readString(r.runDir().resolve("attempt-2.log")).contains("value 42"));
    }

    @Test
    void withoutAPackageVolumeADockerRunEscalatesWithThePackageToAddToTheImage() throws Exception {
        Harness h = harness(TestEngine.spec());
        h.options(o -> o.withFixSettings("pip_install", Map.of("in_container", true)));
        RunResult r = h.run("sh", "-c", "echo \"ModuleNotFoundError: No module named 'yaml'\" >&2; exit 1");
        assertEquals(RunStatus.ESCALATED, r.status());
        String reason = dev.medic.supervise.SupervisorTest.skipReason(Harness.events(r, "decision").get(0), "pip_install");
        assertTrue(reason.contains("add 'pyyaml' to the image (RUN pip install pyyaml)"), reason);
    }

    @Test
    void storageSizeIsRefusedClearlyOnOverlay2() {
        String driver = docker.infoCmd().exec().getDriver();
        BackendException e = assertThrows(BackendException.class, () -> new DockerBackend(docker, new DockerSpec(TestEngine.IMAGE,
                null, null, null, null, null, null, List.of(), List.of(), null, List.of(), null, "none", "1g", false, false), Map.of()));
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("--storage-size is not supported by this engine's storage driver (" + driver), e.getMessage());
    }

    @Test
    void aMissingImageIsBadInput() {
        BackendException e = assertThrows(BackendException.class, () -> new DockerBackend(docker, new DockerSpec("medic-no-such-image:9",
                null, null, null, null, null, null, List.of(), List.of(), null, List.of(), null, "none", null, false, false), Map.of()));
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        assertEquals("image 'medic-no-such-image:9' is not on this Docker engine (medic does not pull: docker pull or docker load it first)",
                e.getMessage());
    }

    @Test
    void gpusRequestedWhereTheEngineHasNoGpuRuntimeFallBackToTheCpu() throws Exception {
        Harness h = harness(new DockerSpec(TestEngine.IMAGE, null, null, null, null, null, "all", List.of(), List.of(), null,
                List.of(), null, "none", null, false, false));
        h.env.remove("CUDA_VISIBLE_DEVICES");
        RunResult r = h.run("sh", "-c", "echo visible=[$CUDA_VISIBLE_DEVICES]; echo ok");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals("cuda_unavailable", Harness.events(r, "failure").get(0).path("failure").asText());
        assertEquals("cpu_fallback", Harness.events(r, "decision").get(0).path("fix").asText());
        assertTrue(Files.readString(r.runDir().resolve("attempt-2.log")).contains("visible=[]"), "the fix's variable reached the container");
    }

    @Test
    void cleanupRemovesOnlyContainersOfDeadRuns() {
        String alive = DockerBackend.supervisorLabel();
        String dead = "999999@" + dev.medic.util.Hosts.name() + "@1";
        String live = docker.createContainerCmd(TestEngine.IMAGE).withCmd("sleep", "60")
                .withLabels(Map.of(DockerBackend.LABEL_RUN, "live-run", DockerBackend.LABEL_ATTEMPT, "1", DockerBackend.LABEL_SUPERVISOR, alive))
                .exec().getId();
        String orphan = docker.createContainerCmd(TestEngine.IMAGE).withCmd("sleep", "60")
                .withLabels(Map.of(DockerBackend.LABEL_RUN, "dead-run", DockerBackend.LABEL_ATTEMPT, "2", DockerBackend.LABEL_SUPERVISOR, dead))
                .exec().getId();
        try {
            List<String> removed = new DockerCleanup(docker).removeOrphans();
            assertEquals(List.of("removed container " + orphan.substring(0, 12) + " of run dead-run attempt 2"), removed);
            assertEquals(List.of(), TestEngine.containersOf("dead-run"));
            assertEquals(List.of(live), TestEngine.containersOf("live-run"), "a live supervisor's container is left alone");
        } finally {
            docker.removeContainerCmd(live).withForce(true).exec();
        }
    }
}
