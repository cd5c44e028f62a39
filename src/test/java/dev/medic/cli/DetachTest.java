package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.Processes;
import dev.medic.journal.JournalLines;
import dev.medic.journal.JournalReader;
import dev.medic.supervise.RunLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic run --detach`, then ps, logs and stop from other medic processes. */
class DetachTest {
    @TempDir
    Path tmp;

    @Test
    void aDetachedRunOutlivesItsShellAndAHangupIsSeenByPsAndEndsWithStop() throws Exception {
        Path pidFile = tmp.resolve("trainer.pid");
        Path runs = tmp.resolve("runs");
        String trainer = "import os, time\n"
                + "open('" + pidFile + "', 'w').write(str(os.getpid()))\n"
                + "for step in range(1, 600):\n"
                + "    print(f'step {step} loss {2.0 / step:.4f}', flush=True)\n"
                + "    time.sleep(0.1)\n";
        List<String> medic = MedicProcess.command("run", "--detach", "--run-dir", runs.toString(), "--", "python3", "-c", trainer);
        // the shell that starts it exits at once, as a terminal's shell does when it is closed
        List<String> shell = new ArrayList<>(List.of("bash", "-c", "\"$@\"; exit 0", "bash"));
        shell.addAll(medic);
        Process sh = new ProcessBuilder(shell).directory(tmp.toFile()).redirectErrorStream(false).start();
        assertTrue(sh.waitFor(60, TimeUnit.SECONDS), "medic run --detach returns");
        String runId = new String(sh.getInputStream().readAllBytes()).strip();
        String said = new String(sh.getErrorStream().readAllBytes());
        assertTrue(runId.matches("\\d{8}-\\d{6}-[0-9a-f]{4}"), "prints the run id: " + runId + " / " + said);
        assertTrue(said.contains("medic logs " + runId + " -f"), said);
        Path run = runs.resolve(runId);

        long supervisor = RunLock.owner(run).orElseThrow().pid();
        Processes.waitFor(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank(), "the trainer starts");
        long trainerPid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(Processes.running(supervisor), "the supervisor outlived the shell");
        new ProcessBuilder("kill", "-HUP", Long.toString(supervisor)).start().waitFor();
        Thread.sleep(1000);
        assertTrue(Processes.running(supervisor), "SIGHUP does not end a detached supervisor");
        assertTrue(Processes.running(trainerPid));

        InProcess ps = InProcess.run("ps", "--run-dir", runs.toString());
        assertEquals(ExitCodes.SUCCESS, ps.exitCode(), ps.err());
        String row = ps.out().lines().filter(l -> l.startsWith(runId)).findFirst().orElseThrow(() -> new AssertionError(ps.out()));
        assertTrue(row.matches(runId + "\\s+running\\s+1\\s+-\\s+\\S+\\s+local\\s+.*python3 -c .*"), row);
        JsonNode json = new ObjectMapper().readTree(InProcess.run("ps", "--json", "--run-dir", runs.toString()).out());
        assertEquals("running", json.get(0).path("status").asText());
        assertEquals(supervisor, json.get(0).path("supervisor_pid").asLong());
        assertTrue(json.get(0).path("progress").path("step").asLong() >= 1, "ps shows where the run is: " + json);
        assertTrue(row.contains(" step "), row);

        InProcess logs = InProcess.run("logs", runId, "--run-dir", runs.toString());
        assertTrue(logs.out().startsWith("step 1 loss 2.0000\n"), logs.out());

        InProcess stop = InProcess.run("stop", runId, "--run-dir", runs.toString());
        assertEquals(ExitCodes.SUCCESS, stop.exitCode(), stop.err());
        assertEquals("stopped run " + runId + " (interrupted)\n", stop.out());
        assertFalse(Processes.running(supervisor), "the supervisor has exited");
        Processes.waitFor(() -> !Processes.running(trainerPid), "no process of the run is left");
        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        JsonNode last = journal.get(journal.size() - 1);
        assertEquals("run_finished", last.path("event").asText());
        assertEquals(ExitCodes.INTERRUPTED_TERM, last.path("exit_code").asInt());
        assertTrue(Files.readString(run.resolve("supervisor.log")).contains("attempt 1"), "medic's own lines go to the run folder");
        InProcess after = InProcess.run("ps", "--run-dir", runs.toString());
        assertEquals(2, after.out().lines().count(), "a header and one row, the script's line breaks escaped: " + after.out());
        String finishedRow = after.out().lines().toList().get(1);
        assertTrue(finishedRow.startsWith(runId) && finishedRow.contains(" interrupted ")
                && finishedRow.contains("python3 -c import os, time\\nopen("), finishedRow);
        long steps = Files.readString(run.resolve("attempt-1.log")).lines().filter(l -> l.startsWith("step ")).count();
        JsonNode finishedJson = new ObjectMapper().readTree(InProcess.run("ps", "--json", "--run-dir", runs.toString()).out());
        assertEquals(steps, finishedJson.get(0).path("progress").path("step").asLong(), "the attempt's last step: " + finishedJson);
        InProcess again = InProcess.run("stop", runId, "--run-dir", runs.toString());
        assertEquals("run " + runId + " is not running (interrupted)\n", again.out());
    }

    @Test
    void aDetachedRunWithABadOptionReportsTheSupervisorsErrorAndItsExitCode() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, java.util.Map.of(), "run", "--detach", "--run-dir", "runs", "--backend", "nowhere",
                "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor());
        assertTrue(m.err().startsWith("medic: the detached supervisor ended before it started the run: "), m.err());
        assertTrue(m.err().contains("nowhere"), m.err());
        assertEquals("", m.out());
    }

    @Test
    void logsFollowsEveryAttemptUntilTheRunEnds() throws Exception {
        Path runs = tmp.resolve("runs");
        MedicProcess run = MedicProcess.start(tmp, java.util.Map.of(), "run", "--run-dir", runs.toString(), "--backoff", "3s", "--",
                "python3", Fixtures.projectDir().resolve("examples/toy_train.py").toString(), "--batch-size", "256",
                "--step-time", "0.3");
        Processes.waitFor(() -> Files.isDirectory(runs) && !JournalReader.runs(runs).isEmpty(), "the run starts");
        Path dir = JournalReader.runs(runs).get(0);
        MedicProcess logs = MedicProcess.start(tmp, java.util.Map.of(), "logs", "-f", dir.getFileName().toString(), "--run-dir",
                runs.toString());
        assertEquals(ExitCodes.SUCCESS, run.waitFor(), run.err());
        assertEquals(ExitCodes.SUCCESS, logs.waitFor(), logs.err());
        String out = logs.out();
        assertTrue(out.contains("toy_train: batch_size=256"), out);
        assertTrue(out.contains("CUDA out of memory"), out);
        assertTrue(out.contains("toy_train: batch_size=128"), out);
        assertTrue(out.endsWith("step 5/5 loss 0.4000\ntoy_train: done\n"), out);
        assertTrue(logs.err().contains("medic: attempt 2"), logs.err());
    }
}
