package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class SupervisorTest {
    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(tmp);
    }

    private static String toy() {
        return Fixtures.projectDir().resolve("examples/toy_train.py").toString();
    }

    @Test
    void theDemoRecoversByHalvingTheBatchSize() throws Exception {
        RunResult r = h.run("python3", toy(), "--batch-size", "1024", "--steps", "2", "--step-time", "0");
        assertEquals(RunStatus.SUCCEEDED, r.status());
        assertEquals(ExitCodes.SUCCESS, r.exitCode());
        assertEquals(4, r.attempts());
        List<String> sizes = new ArrayList<>();
        for (JsonNode a : Harness.events(r, "attempt_started")) {
            sizes.add(a.path("argv").get(3).asText());
        }
        assertEquals(List.of("1024", "512", "256", "128"), sizes);
        List<JsonNode> failures = Harness.events(r, "failure");
        assertEquals(3, failures.size());
        for (JsonNode f : failures) {
            assertEquals("cuda_oom", f.path("failure").asText());
            assertTrue(f.path("root").asBoolean());
            JsonNode ev = f.path("evidence").get(0);
            assertTrue(ev.path("text").asText().startsWith("torch.OutOfMemoryError: CUDA out of memory."), ev.toString());
            // the evidence line number points at that line in the attempt's log
            List<String> log = Files.readAllLines(r.runDir().resolve("attempt-" + f.path("attempt").asInt() + ".log"));
            assertEquals(ev.path("text").asText(), log.get(ev.path("line").asInt() - 1));
        }
        assertEquals(List.of("argv[3] --batch-size: 1024 -> 512"),
                List.of(Harness.events(r, "fix_applied").get(0).path("changes").get(0).asText()));
        assertEquals("succeeded", Harness.events(r, "run_finished").get(0).path("status").asText());
        assertTrue(Files.readString(r.runDir().resolve("attempt-4.log")).contains("toy_train: done"));
    }

    @Test
    void everyRecordCarriesTimeEventAndAttempt() throws Exception {
        RunResult r = h.run("python3", toy(), "--batch-size", "256", "--steps", "1", "--step-time", "0");
        List<String> events = new ArrayList<>();
        for (JsonNode n : Harness.journal(r)) {
            assertTrue(n.has("ts") && n.has("event") && n.has("attempt"), n.toString());
            events.add(n.path("event").asText());
        }
        assertEquals(List.of("run_started", "attempt_started", "attempt_finished", "failure", "decision", "fix_applied",
                "attempt_started", "progress", "attempt_finished", "run_finished"), events);
        JsonNode started = Harness.events(r, "run_started").get(0);
        assertTrue(started.path("rules").asText().contains("rules"), started.toString());
        assertTrue(started.path("catalog").asText().contains("catalog"), started.toString());
        assertFalse(started.path("medic_version").asText().isEmpty());
    }

    @Test
    void aFailureThatMatchesNothingIsRetriedOnceThenEscalated() throws Exception {
        Path s = h.script("fails.py", "import sys\nprint('something odd happened', flush=True)\nsys.exit(3)\n");
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.ESCALATED, r.status());
        assertEquals(ExitCodes.RUN_FAILED, r.exitCode());
        assertEquals(2, r.attempts());
        List<JsonNode> decisions = Harness.events(r, "decision");
        assertEquals("retry", decisions.get(0).path("fix").asText());
        assertEquals("escalate", decisions.get(1).path("fix").asText());
        assertEquals("unknown", Harness.events(r, "failure").get(0).path("failure").asText());
        assertEquals(1, h.escalations.size(), "exactly one escalation");
        assertEquals("unknown", h.escalations.get(0).failure());
    }

    @Test
    void aRunWithNoBatchSizeToReduceMovesDownTheLadderAndSaysWhy() throws Exception {
        Path s = h.script("oom.py", "import sys\nsys.stderr.write('RuntimeError: CUDA out of memory. Tried to allocate 2 GiB\\n')\nsys.exit(1)\n");
        RunResult r = h.run("python3", s.toString(), "--lr", "0.1");
        assertEquals(RunStatus.ESCALATED, r.status());
        assertEquals(1, r.attempts());
        JsonNode d = Harness.events(r, "decision").get(0);
        assertEquals("escalate", d.path("fix").asText());
        assertTrue(skipReason(d, "reduce_batch_size").contains("no batch size found"), d.toString());
    }

    public static String skipReason(JsonNode decision, String fix) {
        for (JsonNode s : decision.path("skipped")) {
            if (fix.equals(s.path("fix").asText())) {
                return s.path("reason").asText();
            }
        }
        return "(not skipped)";
    }

    @Test
    void theSameFailureComingBackUnchangedSkipsTheFix() throws Exception {
        // the message does not depend on the batch size: halving changed nothing
        Path s = h.script("oom.py", "import sys\nsys.stderr.write('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 GiB\\n')\nsys.exit(1)\n");
        RunResult r = h.run("python3", s.toString(), "--batch-size", "64");
        assertEquals(RunStatus.ESCALATED, r.status());
        assertEquals(2, r.attempts());
        JsonNode second = Harness.events(r, "decision").get(1);
        assertEquals("escalate", second.path("fix").asText());
        assertTrue(second.toString().contains("came back unchanged"), second.toString());
    }

    @Test
    void theAttemptBudgetEndsTheRun() throws Exception {
        h.maxAttempts = 2;
        RunResult r = h.run("python3", toy(), "--batch-size", "1024", "--max-fit", "1");
        assertEquals(RunStatus.ESCALATED, r.status());
        assertEquals(2, r.attempts());
        assertTrue(Harness.events(r, "escalated").get(0).path("reason").asText().contains("--max-attempts 2"));
    }

    @Test
    void dryRunDecidesButNeverRetries() throws Exception {
        h.dryRun = true;
        RunResult r = h.run("python3", toy(), "--batch-size", "1024");
        assertEquals(RunStatus.DRY_RUN, r.status());
        assertEquals(ExitCodes.RUN_FAILED, r.exitCode());
        assertEquals(1, r.attempts());
        JsonNode planned = Harness.events(r, "fix_planned").get(0);
        assertEquals("512", planned.path("argv").get(3).asText());
        assertTrue(Harness.events(r, "fix_applied").isEmpty());
    }

    @Test
    void silenceForTheStallTimeoutIsAStall() throws Exception {
        h.stallTimeout = Duration.ofMillis(800);
        Path s = h.script("hang.py", "import time\nprint('loading', flush=True)\ntime.sleep(60)\n");
        long t0 = System.nanoTime();
        RunResult r = h.run("python3", s.toString());
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "stall must end the attempt quickly");
        assertEquals(2, r.attempts());
        assertEquals("stall", Harness.events(r, "failure").get(0).path("failure").asText());
        assertTrue(Harness.events(r, "attempt_finished").get(0).path("stalled").asBoolean());
        assertEquals("retry", Harness.events(r, "decision").get(0).path("fix").asText());
        assertEquals(RunStatus.ESCALATED, r.status());
    }

    @Test
    void theStallClockWaitsForTheStartupGrace() throws Exception {
        h.stallTimeout = Duration.ofMillis(300);
        h.startupGrace = Duration.ofSeconds(3);
        h.maxAttempts = 1;
        Path s = h.script("slowstart.py", "import time\ntime.sleep(1.5)\nprint('ready', flush=True)\n");
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status(), "1.5 s of silence at start is within the grace");
    }

    @Test
    void runningPastTheAttemptTimeoutIsATimeout() throws Exception {
        h.attemptTimeout = Duration.ofMillis(700);
        h.maxAttempts = 1;
        Path s = h.script("busy.py", "import time\nwhile True:\n    print('step', flush=True)\n    time.sleep(0.05)\n");
        RunResult r = h.run("python3", s.toString());
        assertEquals("timeout", Harness.events(r, "failure").get(0).path("failure").asText());
        assertTrue(Harness.events(r, "attempt_finished").get(0).path("timed_out").asBoolean());
        assertEquals(RunStatus.ESCALATED, r.status());
    }

    @Test
    void aSuccessfulRunIsOneAttempt() throws Exception {
        RunResult r = h.run("python3", toy(), "--batch-size", "8", "--steps", "1", "--step-time", "0");
        assertEquals(RunStatus.SUCCEEDED, r.status());
        assertEquals(1, r.attempts());
        assertTrue(Harness.events(r, "failure").isEmpty());
    }
}
