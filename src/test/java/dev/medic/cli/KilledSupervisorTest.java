package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.Processes;
import dev.medic.journal.JournalLines;
import dev.medic.journal.JournalReader;
import dev.medic.logs.TruncatedLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.medic.Processes.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A supervisor killed with SIGKILL neither kills nor blocks its training, and `--resume` takes the attempt up again. */
@Tag("fault")
class KilledSupervisorTest {
    @TempDir
    Path tmp;

    /**
     * A trainer that keeps its own copy of everything it writes: 200 lines at once, then a line
     * every 10 ms until {@code go} exists, then 300 more and exit code 3. Every tenth line also
     * goes to stderr; the sixth of those says CUDA ran out of memory.
     */
    private String trainer(Path own, Path go) {
        return "import os, sys, time\n"
                + "out = open('" + own + ".stdout', 'wb', buffering=0)\n"
                + "err = open('" + own + ".stderr', 'wb', buffering=0)\n"
                + "open('" + own + ".pid', 'w').write(str(os.getpid()))\n"
                + "def say(i):\n"
                + "    line = ('line %d ' % i + 'x' * (i % 97) + '\\n').encode()\n"
                + "    sys.stdout.buffer.write(line); sys.stdout.flush(); out.write(line)\n"
                + "    if i % 10 == 0:\n"
                + "        e = ('err %d%s\\n' % (i, ' torch.OutOfMemoryError: CUDA out of memory.' if i == 50 else '')).encode()\n"
                + "        sys.stderr.buffer.write(e); sys.stderr.flush(); err.write(e)\n"
                + "i = 0\n"
                + "while i < 200 or not os.path.exists('" + go + "'):\n"
                + "    say(i); i += 1\n"
                + "    if i >= 200: time.sleep(0.01)\n"
                + "for j in range(300):\n"
                + "    say(i); i += 1\n"
                + "open('" + own + ".done', 'w').write('done')\n"
                + "sys.exit(3)\n";
    }

    /** Starts the trainer under medic, SIGKILLs medic once 250 lines are out; returns the trainer's own copy of stdout. */
    private Path trainUnderAKilledSupervisor(Path own, Path go) throws Exception {
        MedicProcess medic = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs", "--", "python3", "-c",
                trainer(own, go));
        Path ownOut = Path.of(own + ".stdout");
        waitFor(() -> Files.exists(ownOut) && Files.readString(ownOut).lines().count() >= 250, "the trainer prints");
        medic.process.destroyForcibly();
        medic.process.waitFor();
        return ownOut;
    }

    @Test
    void trainingOutlivesAKilledSupervisorAndResumeAdoptsItWithEveryLineOnceAndItsExitStatus() throws Exception {
        Path own = tmp.resolve("own");
        Path go = tmp.resolve("go");
        Path ownOut = trainUnderAKilledSupervisor(own, go);
        long trainerPid = Long.parseLong(Files.readString(Path.of(own + ".pid")));
        long printed = Files.readString(ownOut).lines().count();
        waitFor(() -> Files.readString(ownOut).lines().count() > printed + 50, "the trainer prints on after its supervisor died");
        assertTrue(Processes.running(trainerPid), "the trainer outlived its supervisor");

        Path run = JournalReader.runs(tmp.resolve("runs")).get(0);
        MedicProcess resumed = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs", "--max-attempts", "1",
                "--resume", run.getFileName().toString());
        waitFor(() -> events(run).contains("attempt_adopted"), "the resumed supervisor adopts the attempt");
        Files.writeString(go, "go");
        assertEquals(ExitCodes.RUN_FAILED, resumed.waitFor(), resumed.err());
        assertTrue(Files.exists(Path.of(own + ".done")), "the trainer ran to its end: "
                + Files.readString(run.resolve("journal.jsonl")) + resumed.err());

        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        // flags_discovered: the ladder's fixes asked what the script accepts (its source, learnt once)
        assertEquals(List.of("run_started", "attempt_started", "run_resumed", "attempt_adopted", "attempt_finished",
                "flags_discovered", "failure", "decision", "escalated", "run_finished"), events(run));
        JsonNode finished = journal.get(4);
        assertEquals(1, finished.path("attempt").asInt());
        assertEquals(3, finished.path("exit_code").asInt(), finished.toString());
        // printed before the kill: the adopting supervisor judged the lines already in the log too
        JsonNode failure = journal.get(6);
        assertEquals("cuda_oom", failure.path("failure").asText(), failure.toString());
        List<String> lines = Files.readAllLines(run.resolve("attempt-1.log"));
        assertEquals(lines.indexOf("err 50 torch.OutOfMemoryError: CUDA out of memory.") + 1,
                failure.path("evidence").get(0).path("line").asInt(), failure.toString());
        assertOutputOnce(run.resolve("attempt-1.log"), own);
        assertEquals(Files.readString(run.resolve("attempt-1.log")).lines().count(), finished.path("lines").asLong());
        InProcess history = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), run.getFileName().toString());
        assertTrue(history.out().contains("attempt 1 taken up again (pid "), history.out());
        assertTrue(history.out().contains("attempt 1 ended: exit code 3"), history.out());
        assertEquals(Files.size(run.resolve("attempt-1.log")), finished.path("bytes").asLong());
        try (var files = Files.list(run)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".state")).toList(),
                    "the resume state is gone once the attempt is journaled");
        }
    }

    @Test
    void anAdoptedAttemptsLogGivesTheRulesOnlyItsNewestCandidateLines() throws Exception {
        Path go = tmp.resolve("go");
        Path printed = tmp.resolve("printed");
        String trainer = "import os, sys, time\n"
                + "for i in range(10500):\n"
                + "    print('step %d torch.OutOfMemoryError: CUDA out of memory.' % i)\n"
                + "sys.stdout.flush()\n"
                + "open('" + printed + "', 'w').write('x')\n"
                + "while not os.path.exists('" + go + "'):\n"
                + "    time.sleep(0.05)\n"
                + "sys.exit(1)\n";
        MedicProcess medic = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs", "--", "python3", "-c", trainer);
        Path run = waitForRun();
        waitFor(() -> Files.exists(printed) && Files.readString(run.resolve("attempt-1.log")).lines().count() == 10500,
                "the trainer's lines reach the log");
        Thread.sleep(300);
        medic.process.destroyForcibly();
        medic.process.waitFor();
        MedicProcess resumed = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs", "--max-attempts", "1",
                "--resume", run.getFileName().toString());
        waitFor(() -> events(run).contains("attempt_adopted"), "the resumed supervisor adopts the attempt");
        Files.writeString(go, "go");
        assertEquals(ExitCodes.RUN_FAILED, resumed.waitFor(), resumed.err());
        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        assertTrue(journal.stream().anyMatch(r -> r.path("event").asText().equals("warning") && r.path("message").asText()
                .equals("taking up attempt 1: the rules see the last 10000 of the 10500 lines of its log that a signature may match")),
                journal.toString());
        assertTrue(journal.stream().anyMatch(r -> r.path("event").asText().equals("failure")
                && r.path("failure").asText().equals("cuda_oom")), journal.toString());
    }

    private Path waitForRun() throws Exception {
        waitFor(() -> Files.isDirectory(tmp.resolve("runs")) && !JournalReader.runs(tmp.resolve("runs")).isEmpty(), "the run starts");
        return JournalReader.runs(tmp.resolve("runs")).get(0);
    }

    @Test
    void aDamagedResumeStateIsNotTakenUpButStoppedAndTheRunGoesOn() throws Exception {
        Path own = tmp.resolve("own");
        Path go = tmp.resolve("go");
        Path ownOut = trainUnderAKilledSupervisor(own, go);
        long trainerPid = Long.parseLong(Files.readString(Path.of(own + ".pid")));
        Path run = JournalReader.runs(tmp.resolve("runs")).get(0);
        // the run can write its own folder: a state it damaged must not crash the resume or leave the trainer unsupervised
        Files.writeString(run.resolve("attempt-1.state"), "medic-attempt-log 1 max=0 stdout=4x2 stderr=0 lines=1 bytes=1 file=1\n");
        MedicProcess resumed = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs", "--max-attempts", "2",
                "--resume", run.getFileName().toString());
        waitFor(() -> events(run).stream().filter("attempt_started"::equals).count() == 2, "attempt 2 starts");
        Files.writeString(go, "go");
        assertEquals(ExitCodes.RUN_FAILED, resumed.waitFor(), resumed.err());
        assertFalse(resumed.err().contains("internal error"), resumed.err());
        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        assertTrue(journal.stream().anyMatch(r -> r.path("event").asText().equals("attempt_abandoned")
                && r.path("reason").asText().equals("it cannot be taken up: attempt-1.state is damaged (stdout=4x2)")), journal.toString());
        assertTrue(journal.stream().anyMatch(r -> r.path("event").asText().equals("leftover_stopped")), journal.toString());
        assertFalse(Processes.running(trainerPid), "the attempt that could not be taken up was stopped");
        Path spool = Path.of(journal.get(1).path("spool").asText());
        assertTrue(spool.getFileName().toString().startsWith("medic-spool-"), journal.get(1).toString());
        assertFalse(Files.exists(spool), "nobody will take it up: its spool is gone");
        assertEquals(List.of(1, 2), journal.stream().filter(r -> r.path("event").asText().equals("attempt_started"))
                .map(r -> r.path("attempt").asInt()).toList());
    }

    @Test
    void anAttemptThatEndedWhileNoSupervisorRanIsReadToItsEndOnResume() throws Exception {
        Path own = tmp.resolve("own");
        Path go = tmp.resolve("go");
        Path ownOut = trainUnderAKilledSupervisor(own, go);
        Files.writeString(go, "go");
        long trainerPid = Long.parseLong(Files.readString(Path.of(own + ".pid")));
        waitFor(() -> !Processes.running(trainerPid), "the trainer ends with no supervisor");
        assertTrue(Files.exists(Path.of(own + ".done")), "the trainer ran to its end");

        Path run = JournalReader.runs(tmp.resolve("runs")).get(0);
        MedicProcess resumed = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs", "--max-attempts", "1",
                "--resume", run.getFileName().toString());
        assertEquals(ExitCodes.RUN_FAILED, resumed.waitFor(), resumed.err());
        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        assertEquals("attempt_adopted", journal.get(3).path("event").asText(), journal.toString());
        assertEquals(3, journal.get(4).path("exit_code").asInt(), journal.get(4).toString());
        assertOutputOnce(run.resolve("attempt-1.log"), own);
    }

    @Test
    void resumingOneRunLeavesAnotherKilledRunsTrainingAlone() throws Exception {
        Path goA = tmp.resolve("go-a");
        long[] pids = new long[2];
        Path[] runs = new Path[2];
        for (int i = 0; i < 2; i++) {
            Path pidFile = tmp.resolve("pid-" + i);
            String sleeper = "import os, time\n"
                    + "open('" + pidFile + "', 'w').write(str(os.getpid()))\n"
                    + "print('training', flush=True)\n"
                    + "while not os.path.exists('" + goA + "') or " + i + " == 1:\n"
                    + "    time.sleep(0.05)\n";
            MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs-" + i, "--", "python3", "-c",
                    sleeper);
            waitFor(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank(), "trainer " + i + " starts");
            pids[i] = Long.parseLong(Files.readString(pidFile));
            runs[i] = JournalReader.runs(tmp.resolve("runs-" + i)).get(0);
            Path run = runs[i];
            waitFor(() -> events(run).contains("attempt_started"), "attempt 1 of run " + i + " is journaled");
            m.process.destroyForcibly();
            m.process.waitFor();
        }
        MedicProcess resumeA = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs-0", "--resume",
                runs[0].getFileName().toString());
        waitFor(() -> events(runs[0]).contains("attempt_adopted") || events(runs[0]).contains("leftover_stopped")
                || !resumeA.process.isAlive(), "A resumes");
        assertTrue(events(runs[0]).contains("attempt_adopted"), resumeA.err() + events(runs[0]));
        assertTrue(Processes.running(pids[1]), "run B's training was left alone");
        // cleanup stops what dead supervisors left, but not an attempt a live medic took up
        InProcess cleanup = InProcess.run("cleanup");
        assertEquals(ExitCodes.SUCCESS, cleanup.exitCode(), cleanup.err());
        assertTrue(cleanup.out().contains("stopped process " + pids[1]), cleanup.out());
        assertFalse(cleanup.out().contains("stopped process " + pids[0] + " "), cleanup.out());
        assertTrue(Processes.running(pids[0]), "run A's adopted training runs on");
        Files.writeString(goA, "go");
        assertEquals(ExitCodes.SUCCESS, resumeA.waitFor(), resumeA.err());
        String journalA = Files.readString(runs[0].resolve("journal.jsonl"));
        assertFalse(journalA.contains("leftover_stopped"), journalA);
        assertFalse(journalA.contains(Long.toString(pids[1])), journalA);
        removeSpool(runs[1]);
    }

    /** A run killed and never resumed leaves its spool in the temporary folder (for a later resume): tests remove it. */
    static void removeSpool(Path run) throws Exception {
        for (JsonNode r : JournalLines.read(run.resolve("journal.jsonl"))) {
            if (r.path("spool").isTextual()) {
                Path spool = Path.of(r.path("spool").asText());
                try (var files = Files.list(spool)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(spool);
            }
        }
    }

    @Test
    void aSizeLimitedLogTakenUpWhileItsLastPartIsInSideFilesEndsAsHeadMarkerAndTail() throws Exception {
        Path own = tmp.resolve("own");
        Path go = tmp.resolve("go");
        String trainer = "import os, sys, time\n"
                + "out = open('" + own + "', 'wb', buffering=0)\n"
                + "def say(i):\n"
                + "    line = ('line %07d ' % i + 'z' * (i % 113) + '\\n').encode()\n"
                + "    sys.stdout.buffer.write(line); sys.stdout.flush(); out.write(line)\n"
                + "i = 0\n"
                + "while not os.path.exists('" + go + "'):\n"
                + "    say(i); i += 1\n"
                + "    if i % 200 == 0: time.sleep(0.01)\n"
                + "for j in range(40000):\n"
                + "    say(i); i += 1\n";
        MedicProcess medic = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs", "--max-log-size", "1M", "--",
                "python3", "-c", trainer);
        waitFor(() -> Files.exists(own) && Files.size(own) > 3_000_000, "the trainer prints past the head");
        Path run = JournalReader.runs(tmp.resolve("runs")).get(0);
        waitFor(() -> TruncatedLog.sideFiles(run.resolve("attempt-1.log")).size() > 2, "the last part goes to side files");
        medic.process.destroyForcibly();
        medic.process.waitFor();

        MedicProcess resumed = MedicProcess.start(tmp, Map.of(), "run", "--quiet", "--run-dir", "runs", "--resume",
                run.getFileName().toString());
        waitFor(() -> events(run).contains("attempt_adopted"), "the resumed supervisor adopts the attempt");
        Files.writeString(go, "go");
        assertEquals(ExitCodes.SUCCESS, resumed.waitFor(), resumed.err());
        TruncatedLog.read(run.resolve("attempt-1.log")).check(Files.readAllBytes(own), 1 << 20);
        assertEquals(List.of(), TruncatedLog.sideFiles(run.resolve("attempt-1.log")), "the side files were joined");
        JsonNode finished = JournalLines.read(run.resolve("journal.jsonl")).stream()
                .filter(r -> r.path("event").asText().equals("attempt_finished")).findFirst().orElseThrow();
        assertEquals(Files.size(own), finished.path("bytes").asLong());
        assertEquals(Files.readString(own).lines().count(), finished.path("lines").asLong());
    }

    @Test
    void theSpoolFreesWhatTheLogHasSavedSoDiskStaysBounded() throws Exception {
        Path seen = tmp.resolve("seen");
        // 96 MB to stdout, then, once medic has had time to catch up, what its stdout file holds and takes on disk
        String flood = "import os, sys, time\n"
                + "block = (b'y' * 99 + b'\\n') * 10000\n"
                + "for i in range(96):\n"
                + "    os.write(1, block)\n"
                + "time.sleep(5)\n"
                + "st = os.fstat(1)\n"
                + "open(sys.argv[1], 'w').write('%d %d' % (st.st_size, st.st_blocks * 512))\n";
        InProcess run = InProcess.run("run", "--quiet", "--run-dir", tmp.resolve("runs").toString(), "--max-log-size", "2M", "--",
                "python3", "-c", flood, seen.toString());
        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        String[] f = Files.readString(seen).split(" ");
        assertEquals(96_000_000L, Long.parseLong(f[0]), "the child's stdout is a file holding all it wrote");
        assertTrue(Long.parseLong(f[1]) < 40L << 20, "the spool freed what the log had saved: " + f[1] + " bytes on disk");
        Path log = JournalReader.runs(tmp.resolve("runs")).get(0).resolve("attempt-1.log");
        assertTrue(Files.size(log) < (2 << 20) + 4096, "the log kept to --max-log-size: " + Files.size(log));
    }

    private static List<String> events(Path run) throws Exception {
        return JournalLines.read(run.resolve("journal.jsonl")).stream().map(r -> r.path("event").asText()).toList();
    }

    /** The log is the trainer's two streams interleaved at line boundaries, each byte exactly once. */
    private static void assertOutputOnce(Path log, Path own) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        for (String line : Files.readString(log, StandardCharsets.ISO_8859_1).split("(?<=\n)")) {
            (line.startsWith("err ") ? err : out).writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        assertArrayEquals(Files.readAllBytes(Path.of(own + ".stdout")), out.toByteArray(), "stdout, byte for byte");
        assertArrayEquals(Files.readAllBytes(Path.of(own + ".stderr")), err.toByteArray(), "stderr, byte for byte");
    }
}
