package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.journal.JournalLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic run --backend docker` as a real process: exit codes, fallback, and no container left when medic is stopped. */
class DockerRunCommandTest {
    @TempDir
    Path tmp;

    private static Path onlyRun(Path runs) throws Exception {
        try (var l = Files.list(runs)) {
            return l.findFirst().orElseThrow();
        }
    }

    @Test
    void dockerUnreachableIsExit3NamingTheSocketAndFallbackRunsLocally() throws Exception {
        Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no-engine.sock"));
        MedicProcess m = MedicProcess.start(tmp, env, "run", "--backend", "docker", "--image", "x:1", "--", "true");
        assertEquals(ExitCodes.BACKEND_UNAVAILABLE, m.waitFor());
        String err = m.err().strip();
        assertTrue(err.startsWith("medic: Docker is not reachable at unix://" + tmp.resolve("no-engine.sock") + " (from DOCKER_HOST)"), err);
        assertEquals(1, err.lines().count(), err);

        MedicProcess f = MedicProcess.start(tmp, env, "run", "-q", "--backend", "docker", "--image", "x:1", "--fallback", "local",
                "--run-dir", "runs", "--", "python3", "-c", "print('ran locally')");
        assertEquals(ExitCodes.SUCCESS, f.waitFor(), f.err());
        Path run = onlyRun(tmp.resolve("runs"));
        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        assertTrue(journal.stream().anyMatch(r -> r.path("event").asText().equals("warning")
                && r.path("message").asText().contains("running as a local process instead")), journal.toString());
        assertTrue(Files.readString(run.resolve("attempt-1.log")).contains("ran locally"));
    }

    @Test
    void aMissingImageIsExit2InOneLine() throws Exception {
        dev.medic.backend.docker.DockerTestSupport.requireEngine();
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--backend", "docker", "--image", "medic-absent:0", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor());
        assertEquals("medic: image 'medic-absent:0' is not on this Docker engine (medic does not pull: docker pull or docker load it first)",
                m.err().strip());
    }

    @Test
    void aSweepStartsOneContainerPerTrialWithItsOwnGpus() throws Exception {
        String image = dev.medic.backend.docker.DockerTestSupport.requireEngine();
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--backend", "docker", "--image", image, "--gpus", "0,1",
                "--grid", "t=1,2,3", "--backoff", "0s", "--sweep-dir", "sweeps", "--", "sh", "-c", "echo trial {t} visible=[$CUDA_VISIBLE_DEVICES]");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        Path sweep = onlyRun(tmp.resolve("sweeps"));
        List<String> rows = Files.readAllLines(sweep.resolve("sweep.jsonl"));
        assertEquals(3, rows.size());
        for (String row : rows) {
            JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(row);
            assertEquals("succeeded", r.path("status").asText(), row);
            // this engine has no GPU runtime: each trial's device request was refused, and it fell back to the CPU
            assertEquals("cuda_unavailable", r.path("root_failure").asText(), row);
            assertEquals("cpu_fallback", r.path("fixes").get(0).asText(), row);
            String device = r.path("gpus").get(0).asText();
            Path trialRun = sweep.resolve("trials").resolve(r.path("run_id").asText());
            assertTrue(Files.readString(trialRun.resolve("attempt-1.log")).contains("could not select device driver"), row);
            assertTrue(device.equals("0") || device.equals("1"), row);
            assertEquals(List.of(), dev.medic.backend.docker.DockerTestSupport.containersOf(r.path("run_id").asText()));
        }
    }

    @Test
    void stoppingMedicStopsAndRemovesItsContainer() throws Exception {
        String image = dev.medic.backend.docker.DockerTestSupport.requireEngine();
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--backend", "docker", "--image", image, "--kill-grace", "1s",
                "--run-dir", "runs", "--", "sh", "-c", "echo started; sleep 120");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!m.out().contains("started")) {
            assertTrue(System.nanoTime() < deadline, "the container did not start: " + m.err());
            Thread.sleep(100);
        }
        String runId = onlyRun(tmp.resolve("runs")).getFileName().toString();
        assertEquals(1, dev.medic.backend.docker.DockerTestSupport.containersOf(runId).size());
        m.process.destroy();
        assertEquals(ExitCodes.INTERRUPTED_TERM, m.waitFor(), m.err());
        assertEquals(List.of(), dev.medic.backend.docker.DockerTestSupport.containersOf(runId), "no container is left behind");
    }

    @Test
    void aKilledDockerRunResumesInANewContainerAfterRemovingTheOrphan() throws Exception {
        String image = dev.medic.backend.docker.DockerTestSupport.requireEngine();
        // attempt 1 runs until it is killed; the resumed attempt finds the marker and ends at once
        String script = "if [ -e /work/resumed ]; then echo resumed; exit 0; fi; touch /work/resumed; echo started; sleep 300";
        Files.createDirectories(tmp.resolve("work"));
        MedicProcess killed = MedicProcess.start(tmp, Map.of(), "run", "--backend", "docker", "--image", image, "-v",
                tmp.resolve("work") + ":/work", "--run-dir", "runs", "--", "sh", "-c", script);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!killed.out().contains("started")) {
            assertTrue(System.nanoTime() < deadline, "the container did not start: " + killed.err());
            Thread.sleep(100);
        }
        String runId = onlyRun(tmp.resolve("runs")).getFileName().toString();
        List<String> orphan = dev.medic.backend.docker.DockerTestSupport.containersOf(runId);
        assertEquals(1, orphan.size());
        killed.process.destroyForcibly();
        killed.process.waitFor();
        assertEquals(orphan, dev.medic.backend.docker.DockerTestSupport.containersOf(runId), "SIGKILL leaves the container running");
        // another run whose supervisor died too: resuming the first must leave its container alone
        MedicProcess other = MedicProcess.start(tmp, Map.of(), "run", "--backend", "docker", "--image", image,
                "--run-dir", "other-runs", "--", "sh", "-c", "echo started; sleep 300");
        while (!other.out().contains("started")) {
            assertTrue(System.nanoTime() < deadline, "the other container did not start: " + other.err());
            Thread.sleep(100);
        }
        String otherId = onlyRun(tmp.resolve("other-runs")).getFileName().toString();
        List<String> otherContainer = dev.medic.backend.docker.DockerTestSupport.containersOf(otherId);
        other.process.destroyForcibly();
        other.process.waitFor();

        MedicProcess resumed = MedicProcess.start(tmp, Map.of(), "run", "--backend", "docker", "--image", image, "-v",
                tmp.resolve("work") + ":/work", "--run-dir", "runs", "--resume", runId);
        assertEquals(ExitCodes.SUCCESS, resumed.waitFor(), resumed.err());
        assertEquals(List.of(), dev.medic.backend.docker.DockerTestSupport.containersOf(runId), "the orphan and attempt 2's container are gone");
        assertEquals(otherContainer, dev.medic.backend.docker.DockerTestSupport.containersOf(otherId),
                "resuming one run leaves another dead run's container to its own resume or medic cleanup");
        InProcess cleanup = InProcess.run("cleanup");
        assertEquals(List.of(), dev.medic.backend.docker.DockerTestSupport.containersOf(otherId), "medic cleanup removes it: " + cleanup.out());
        List<JsonNode> journal = JournalLines.read(onlyRun(tmp.resolve("runs")).resolve("journal.jsonl"));
        assertTrue(journal.stream().anyMatch(r -> r.path("event").asText().equals("leftover_stopped")), journal.toString());
        assertEquals(List.of(1, 2), journal.stream().filter(r -> r.path("event").asText().equals("attempt_started"))
                .map(r -> r.path("attempt").asInt()).toList());
        assertTrue(Files.readString(onlyRun(tmp.resolve("runs")).resolve("attempt-2.log")).contains("resumed"));
    }
}
