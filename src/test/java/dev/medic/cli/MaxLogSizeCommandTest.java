package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.journal.JournalLines;
import dev.medic.logs.TruncatedLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic run --max-log-size` and `max-log-size:` in medic.yaml, as real processes. */
class MaxLogSizeCommandTest {
    private static final long BUDGET = 1 << 20;

    @TempDir
    Path tmp;

    /** Writes LINES lines of about 80 bytes (a copy of every byte to COPY), then ends as told: ok, oom, or sleep. */
    private Path writer() throws Exception {
        return Files.writeString(tmp.resolve("writer.py"), """
                import os, sys, time
                copy_path, lines, end = sys.argv[1], int(sys.argv[2]), sys.argv[3]
                copy = open(copy_path, 'wb')
                out = sys.stdout.buffer
                for i in range(1, lines + 1):
                    line = b'epoch %d step %07d loss %.4f ' % (i // 1000, i, 1.0 / i) + b'-' * (i % 120) + b'\\n'
                    out.write(line)
                    copy.write(line)
                if end == 'oom':
                    line = b'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\\n'
                    out.write(line)
                    copy.write(line)
                out.flush()
                copy.close()
                if end == 'sleep':
                    open(copy_path + '.done', 'w').write(str(os.getpid()))
                    time.sleep(300)
                sys.exit(1 if end == 'oom' else 0)
                """);
    }

    private static Path only(Path dir) throws Exception {
        try (Stream<Path> l = Files.list(dir)) {
            List<Path> all = l.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static JsonNode attemptFinished(Path run) throws Exception {
        return JournalLines.read(run.resolve("journal.jsonl")).stream()
                .filter(r -> r.path("event").asText().equals("attempt_finished")).findFirst().orElseThrow();
    }

    @Test
    void theFlagKeepsBothEndsAndTheConsoleAndHistorySayWhatWasDropped() throws Exception {
        Path copy = tmp.resolve("copy");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--max-log-size", "1M", "--run-dir", "runs", "--",
                "python3", writer().toString(), copy.toString(), "40000", "ok");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        Path run = only(tmp.resolve("runs"));
        TruncatedLog log = TruncatedLog.read(run.resolve("attempt-1.log"));
        log.check(Files.readAllBytes(copy), BUDGET);
        assertEquals(log.droppedBytes(), attemptFinished(run).path("dropped_bytes").asLong());
        assertTrue(m.err().contains("its log dropped " + log.droppedBytes() + " bytes (" + log.droppedLines()
                + " lines) in the middle (--max-log-size)"), m.err());

        InProcess history = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), run.getFileName().toString());
        assertEquals(ExitCodes.SUCCESS, history.exitCode(), history.err());
        assertTrue(history.out().contains("(the log dropped " + log.droppedBytes() + " bytes, " + log.droppedLines()
                + " lines, by --max-log-size)"), history.out());
    }

    @Test
    void theConfigFileSetsItAndReplayReadsTheTruncatedLog() throws Exception {
        Files.writeString(tmp.resolve("medic.yaml"), "max-log-size: 1M\nmax-attempts: 1\nrun-dir: runs\n");
        Path copy = tmp.resolve("copy");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--", "python3", writer().toString(), copy.toString(),
                "30000", "oom");
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        Path run = only(tmp.resolve("runs"));
        Path logFile = run.resolve("attempt-1.log");
        TruncatedLog log = TruncatedLog.read(logFile);
        log.check(Files.readAllBytes(copy), BUDGET);

        InProcess replay = InProcess.run("replay", "--json", "--rules", Fixtures.rulesDir().toString(), "--catalog",
                Fixtures.catalogDir().toString(), "--exit-code", "1", logFile.toString());
        assertEquals(ExitCodes.SUCCESS, replay.exitCode(), replay.err());
        JsonNode result = new ObjectMapper().readTree(replay.out());
        assertEquals("cuda_oom", result.path("failure").asText(), replay.out());
        List<String> fileLines = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
        assertEquals(fileLines.size(), result.path("evidence").get(0).path("line").asInt(),
                "replay numbers the lines of the file it reads, the marker line included");
    }

    @Test
    void sweepTrialsGetTheLimitToo() throws Exception {
        Path copy = tmp.resolve("copy");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "n=40000", "--max-log-size", "1M",
                "--sweep-dir", "sweeps", "--", "python3", writer().toString(), copy.toString(), "{n}", "ok");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        Path run = only(only(tmp.resolve("sweeps")).resolve("trials"));
        TruncatedLog.read(run.resolve("attempt-1.log")).check(Files.readAllBytes(copy), BUDGET);
    }

    @Test
    void badSizesAreOneLineUsageErrors() {
        InProcess word = InProcess.run("run", "--max-log-size", "lots", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, word.exitCode());
        assertEquals("medic: Invalid value for option '--max-log-size': 'lots' is not a size (use e.g. 512m, 4g) (see 'medic run --help')",
                word.err().strip());
        InProcess tiny = InProcess.run("run", "--max-log-size", "100k", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, tiny.exitCode());
        assertEquals("medic: --max-log-size must be 0 (no limit) or at least 1M, not 100K", tiny.err().strip());
    }

    @Test
    @Tag("fault")
    void aKilledMedicLeavesTheHeadInTheLogAndTheNewestOutputBesideIt() throws Exception {
        Path copy = tmp.resolve("copy");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--max-log-size", "1M", "--run-dir", "runs", "--",
                "python3", writer().toString(), copy.toString(), "40000", "sleep");
        Path done = tmp.resolve("copy.done");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(done) || Files.readString(done).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the child did not finish writing: " + m.err());
            Thread.sleep(50);
        }
        byte[] output = Files.readAllBytes(copy);
        byte[] lastLine = Arrays.copyOfRange(output, output.length - 80, output.length);
        Path run = only(tmp.resolve("runs"));
        // wait until medic has read the child's last line and handed it to the system, then kill it
        while (!endsWith(sides(run), lastLine)) {
            assertTrue(System.nanoTime() < deadline, "medic did not write the last line: " + m.err());
            Thread.sleep(50);
        }
        m.process.destroyForcibly();
        m.process.waitFor(10, TimeUnit.SECONDS);

        byte[] head = Files.readAllBytes(run.resolve("attempt-1.log"));
        assertTrue(head.length > BUDGET / 4 && head.length <= BUDGET / 2, "the head: " + head.length);
        assertTrue(Arrays.equals(head, 0, head.length, output, 0, head.length), "the log is a prefix of the output");
        byte[] newest = sides(run);
        assertTrue(newest.length > BUDGET / 4 && newest.length <= BUDGET / 2, "the side files: " + newest.length);
        assertArrayEquals(Arrays.copyOfRange(output, output.length - newest.length, output.length), newest,
                "the side files, in name order, are the end of the output");

        InProcess history = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), run.getFileName().toString());
        assertEquals(ExitCodes.SUCCESS, history.exitCode(), history.err());
        assertTrue(history.out().contains("no run_finished record"), history.out());
        ProcessHandle.of(Long.parseLong(Files.readString(done))).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The side files of attempt 1, joined in name order; empty while medic is turning the ring under the reader. */
    private static byte[] sides(Path run) throws Exception {
        try {
            return TruncatedLog.joinedSideFiles(run.resolve("attempt-1.log"));
        } catch (java.nio.file.NoSuchFileException rotated) {
            return new byte[0];
        }
    }

    private static boolean endsWith(byte[] b, byte[] end) {
        return b.length >= end.length && Arrays.equals(b, b.length - end.length, b.length, end, 0, end.length);
    }
}
