package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.Processes;
import dev.medic.journal.JournalLines;
import dev.medic.journal.JournalReader;
import dev.medic.supervise.RunLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.medic.Processes.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic run --resume RUN`: a run continues from its journal, with one supervisor at a time. */
class ResumeTest {
    @TempDir
    Path tmp;

    @Test
    void anEscalatedRunResumesWithTheFixesItHadAndWalksOnUpTheLadder() throws Exception {
        Path runs = tmp.resolve("runs");
        String toy = Fixtures.projectDir().resolve("examples/toy_train.py").toString();
        InProcess first = InProcess.run("run", "--quiet", "--run-dir", runs.toString(), "--backoff", "0s", "--max-attempts", "2",
                "--", "python3", toy, "--batch-size", "1024", "--steps", "2");
        assertEquals(ExitCodes.RUN_FAILED, first.exitCode(), first.err());
        String runId = JournalReader.runs(runs).get(0).getFileName().toString();

        InProcess spent = InProcess.run("run", "--quiet", "--run-dir", runs.toString(), "--max-attempts", "2", "--resume", runId);
        assertEquals(ExitCodes.BAD_INPUT, spent.exitCode());
        assertEquals("medic: run " + runId + " has spent 2 attempts and --max-attempts is 2; raise --max-attempts to resume it\n",
                spent.err());

        InProcess resumed = InProcess.run("run", "--quiet", "--run-dir", runs.toString(), "--backoff", "0s", "--max-attempts", "5",
                "--resume", runId.substring(0, 17));
        assertEquals(ExitCodes.SUCCESS, resumed.exitCode(), resumed.err());
        List<JsonNode> journal = JournalLines.read(runs.resolve(runId).resolve("journal.jsonl"));
        JsonNode resumedRec = journal.stream().filter(r -> r.path("event").asText().equals("run_resumed")).findFirst().orElseThrow();
        assertEquals(2, resumedRec.path("attempt").asInt());
        assertEquals("escalated", resumedRec.path("previous_status").asText());
        assertEquals(2, resumedRec.path("attempts_spent").asInt());
        // attempt 2 ran with 512 and failed with the budget spent; the resumed run goes on from there
        assertEquals(List.of("1024", "512", "512", "256", "128"), journal.stream()
                .filter(r -> r.path("event").asText().equals("attempt_started"))
                .map(r -> r.path("argv").get(r.path("argv").size() - 3).asText()).toList());
        JsonNode last = journal.get(journal.size() - 1);
        assertEquals("succeeded", last.path("status").asText());
        assertEquals(5, last.path("attempts").asInt());
        assertTrue(Files.exists(runs.resolve(runId).resolve("attempt-5.log")));

        InProcess history = InProcess.run("history", "--run-dir", runs.toString(), runId);
        assertTrue(history.out().contains("attempt 5 ended: exit code 0"), history.out());
        InProcess again = InProcess.run("run", "--run-dir", runs.toString(), "--resume", runId);
        assertEquals(ExitCodes.BAD_INPUT, again.exitCode());
        assertEquals("medic: run " + runId + " succeeded; there is nothing to resume\n", again.err());
    }

    @Test
    @Tag("fault")
    void aKilledRunResumesOnceAndASecondResumeIsRefusedWhileTheFirstHoldsIt() throws Exception {
        Path pids = tmp.resolve("pids");
        String trainer = "import os, time\n"
                + "open('" + pids + "', 'a').write(str(os.getpid()) + '\\n')\n"
                + "print('training', flush=True)\n"
                + "time.sleep(300)\n";
        MedicProcess killed = MedicProcess.start(tmp, Map.of(), "run", "--run-dir", "runs", "--", "python3", "-c", trainer);
        waitFor(() -> Files.exists(pids) && Files.readString(pids).endsWith("\n"), "attempt 1 starts");
        long orphan = Long.parseLong(Files.readString(pids).strip());
        killed.process.destroyForcibly();
        killed.process.waitFor();
        Path run = JournalReader.runs(tmp.resolve("runs")).get(0);
        String runId = run.getFileName().toString();

        MedicProcess one = MedicProcess.start(tmp, Map.of(), "run", "--run-dir", "runs", "--resume", runId);
        waitFor(() -> Files.readString(run.resolve("journal.jsonl")).contains("attempt_adopted"), "the resumed run takes the attempt up");
        long supervisor = RunLock.owner(run).orElseThrow().pid();
        assertEquals(one.process.pid(), supervisor);
        MedicProcess two = MedicProcess.start(tmp, Map.of(), "run", "--run-dir", "runs", "--resume", runId);
        assertEquals(ExitCodes.RUN_LOCKED, two.waitFor());
        assertEquals("medic: run " + runId + " is already supervised by another medic (pid " + supervisor + " on ", 
                two.err().substring(0, two.err().indexOf(" on ") + 4));
        assertEquals(1, two.err().lines().count(), two.err());
        MedicProcess detached = MedicProcess.start(tmp, Map.of(), "run", "--run-dir", "runs", "--detach", "--resume", runId);
        assertEquals(ExitCodes.RUN_LOCKED, detached.waitFor());
        assertEquals(two.err(), detached.err(), "a detached resume is refused the same way, before it starts anything");

        InProcess stop = InProcess.run("stop", runId, "--run-dir", tmp.resolve("runs").toString());
        assertEquals(ExitCodes.SUCCESS, stop.exitCode(), stop.err());
        assertEquals(ExitCodes.INTERRUPTED_TERM, one.waitFor(), one.err());
        assertFalse(Processes.running(orphan), "the taken-up attempt was stopped with the run");
        assertEquals(1, Files.readString(pids).lines().count(), "the attempt went on; no other started");

        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        List<String> events = journal.stream().map(r -> r.path("event").asText()).toList();
        assertEquals(List.of("run_started", "attempt_started", "run_resumed", "attempt_adopted",
                "attempt_stopping", "attempt_finished", "run_finished"), events);
        JsonNode resumed = journal.get(2);
        assertTrue(resumed.path("took_over_lock_from").asText().startsWith("pid " + killed.process.pid() + " on "), resumed.toString());
        assertEquals(0, resumed.path("attempts_spent").asInt(), "the attempt running when its supervisor died was not judged yet");
        assertEquals(1, journal.get(3).path("attempt").asInt());
        assertEquals(1, journal.get(5).path("attempt").asInt());
        assertEquals("training\n", Files.readString(run.resolve("attempt-1.log")), "its output once");
    }
}
