package dev.medic.backend.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.journal.RunStatus;
import dev.medic.supervise.Harness;
import dev.medic.supervise.RunResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The Slurm backend against a real controller and node (a one-node cluster; .ci/slurm-up starts one). */
class SlurmBackendTest {
    @TempDir
    Path tmp;

    static void requireCluster() {
        Slurm.Result r = Slurm.run(System.getenv(), 15, List.of("sinfo", "--noheader"));
        if (r.exitCode() != 0) {
            String how = "no Slurm controller answers (" + r.out() + "); start a one-node cluster with `bash .ci/slurm-up`"
                    + " after `apt-get install -y slurm-wlm munge`";
            if (Fixtures.inCi()) {
                fail(how);
            }
            Assumptions.abort(how);
        }
    }

    @BeforeEach
    void cluster() {
        requireCluster();
    }

    private Harness harness(SlurmSpec spec) {
        Harness h = new Harness(tmp);
        h.backend = new SlurmBackend(spec, System.getenv());
        return h;
    }

    private static SlurmSpec spec() {
        return new SlurmSpec(null, null, null, null, null, null, null, List.of());
    }

    @Test
    void aJobThatRunsOutOfGpuMemorySucceedsAfterTheBatchSizeFix() throws Exception {
        Harness h = harness(spec());
        RunResult r = h.run("python3", Fixtures.projectDir().resolve("examples/toy_train.py").toString(), "--batch-size", "256",
                "--step-time", "0");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals(2, r.attempts());
        assertTrue(Harness.events(r, "attempt_started").get(0).path("process").asText().startsWith("job "));
        JsonNode failure = Harness.events(r, "failure").get(0);
        assertEquals("cuda_oom", failure.path("failure").asText());
        assertEquals("stderr", failure.path("evidence").get(0).path("stream").asText());
        assertEquals("COMPLETED", Harness.events(r, "attempt_finished").get(1).path("state").asText());
        assertTrue(Files.readString(r.runDir().resolve("attempt-2.log")).contains("toy_train: done"));
    }

    @Test
    void argumentsReachTheJobExactlyAsGiven() throws Exception {
        Harness h = harness(spec());
        h.maxAttempts = 1;
        RunResult r = h.run("python3", "-c", "import sys; print(repr(sys.argv[1:]))", "it's $(echo no); `echo no`", "a  b");
        assertEquals(RunStatus.SUCCEEDED, r.status());
        assertTrue(Files.readString(r.runDir().resolve("attempt-1.log")).contains("[\"it's $(echo no); `echo no`\", 'a  b']"),
                Files.readString(r.runDir().resolve("attempt-1.log")));
    }

    @Test
    void aJobKilledAtItsTimeLimitIsATimeout() throws Exception {
        Harness h = harness(new SlurmSpec(null, "1", null, null, null, null, null, List.of()));
        h.maxAttempts = 1;
        long t0 = System.nanoTime();
        RunResult r = h.run("sh", "-c", "echo started; sleep 600");
        JsonNode finished = Harness.events(r, "attempt_finished").get(0);
        assertEquals("TIMEOUT", finished.path("state").asText(), Harness.journal(r).toString());
        assertTrue(finished.path("timed_out").asBoolean());
        assertEquals("timeout", Harness.events(r, "failure").get(0).path("failure").asText());
        assertTrue((System.nanoTime() - t0) / 1e9 < 240, "Slurm's one-minute limit, plus its check interval");
    }

    @Test
    void cleanupCancelsJobsOfDeadRunsOnly() throws Exception {
        Path script = Files.writeString(tmp.resolve("sleep.sh"), "#!/bin/sh\nsleep 300\n");
        String host = dev.medic.util.Hosts.name();
        Slurm.Result dead = Slurm.run(System.getenv(), 30, List.of("sbatch", "--parsable", "--job-name=medic-dead-1",
                "--comment=medic:dead-run:999999@" + host + "@1", "--output=/dev/null", script.toString()));
        long[] self = dev.medic.util.Supervisors.self();
        Slurm.Result live = Slurm.run(System.getenv(), 30, List.of("sbatch", "--parsable", "--job-name=medic-live-1",
                "--comment=medic:live-run:" + self[0] + "@" + host + "@" + self[1], "--output=/dev/null", script.toString()));
        String deadId = dead.out().split(";")[0];
        String liveId = live.out().split(";")[0];
        try {
            List<String> cancelled = new SlurmCleanup(System.getenv()).cancelOrphans();
            assertEquals(List.of("cancelled job " + deadId + " of run dead-run"), cancelled);
        } finally {
            Slurm.run(System.getenv(), 30, List.of("scancel", deadId, liveId));
        }
    }

    @Test
    void aResumedRunCancelsOnlyItsOwnDeadJobs() throws Exception {
        Path script = Files.writeString(tmp.resolve("sleep.sh"), "#!/bin/sh\nsleep 300\n");
        String host = dev.medic.util.Hosts.name();
        Slurm.Result mine = Slurm.run(System.getenv(), 30, List.of("sbatch", "--parsable", "--job-name=medic-mine-1",
                "--comment=medic:run-a:999999@" + host + "@1", "--output=/dev/null", script.toString()));
        Slurm.Result other = Slurm.run(System.getenv(), 30, List.of("sbatch", "--parsable", "--job-name=medic-other-1",
                "--comment=medic:run-b:999998@" + host + "@1", "--output=/dev/null", script.toString()));
        String mineId = mine.out().split(";")[0];
        String otherId = other.out().split(";")[0];
        try {
            assertEquals(List.of("cancelled job " + mineId + " of run run-a"), new SlurmCleanup(System.getenv()).cancelOrphans("run-a"));
            List<String> later = new SlurmCleanup(System.getenv()).cancelOrphans();
            assertTrue(later.contains("cancelled job " + otherId + " of run run-b"), "run-b's job was left to medic cleanup: " + later);
        } finally {
            Slurm.run(System.getenv(), 30, List.of("scancel", mineId, otherId));
        }
    }
}
