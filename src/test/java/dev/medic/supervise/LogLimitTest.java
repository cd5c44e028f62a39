package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.journal.RunStatus;
import dev.medic.logs.TruncatedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --max-log-size on a supervised run: only what is stored is cut; detection sees every line. */
class LogLimitTest {
    static final long BUDGET = 1 << 20;

    @TempDir
    Path tmp;

    /**
     * A child that writes about 4 MB (with progress-bar redraws and CRLFs), keeps a copy of every
     * byte in {@code <argv[1]>-<batch size>}, and, while its {@code --batch-size} is above 32, runs out
     * of GPU memory in the middle of it: far from both ends that the log keeps.
     */
    static final String CHILD = """
            import sys
            copy = open(sys.argv[1] + '-' + sys.argv[3], 'wb')
            out = sys.stdout.buffer
            oom = int(sys.argv[3]) > 32
            for i in range(1, 40001):
                end = b'\\r' if i % 97 == 0 else (b'\\r\\n' if i % 89 == 0 else b'\\n')
                line = b'step %06d loss 0.%06d ' % (i, 40000 - i) + b'x' * (i % 150) + end
                if oom and i == 20000:
                    line += b'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\\n'
                out.write(line)
                copy.write(line)
            out.flush()
            copy.close()
            sys.exit(1 if oom else 0)
            """;

    @Test
    void theLogKeepsBothEndsAndAFailureInTheDroppedMiddleIsStillFixed() throws Exception {
        Harness h = new Harness(tmp);
        h.options(o -> o.withMaxLogBytes(BUDGET));
        Path child = h.script("child.py", CHILD);
        RunResult r = h.run("python3", child.toString(), tmp.resolve("output").toString(), "--batch-size", "64");

        assertEquals(RunStatus.SUCCEEDED, r.status(), "the out-of-memory line was seen although the log dropped it: " + Harness.journal(r));
        assertEquals(2, r.attempts());
        JsonNode failure = Harness.events(r, "failure").get(0);
        assertEquals("cuda_oom", failure.path("failure").asText());
        assertEquals("reduce_batch_size", Harness.events(r, "decision").get(0).path("fix").asText());

        for (int n = 1; n <= 2; n++) {
            byte[] output = Files.readAllBytes(tmp.resolve("output-" + (n == 1 ? 64 : 32)));
            TruncatedLog log = TruncatedLog.read(r.runDir().resolve("attempt-" + n + ".log"));
            log.check(output, BUDGET);
            JsonNode finished = Harness.events(r, "attempt_finished").get(n - 1);
            assertEquals(log.droppedBytes(), finished.path("dropped_bytes").asLong(), "the journal says what was dropped");
            assertEquals(log.droppedLines(), finished.path("dropped_lines").asLong());
            assertEquals(output.length, finished.path("bytes").asLong(), "bytes: the whole output");
            assertEquals(TruncatedLog.lineEnds(output, 0, output.length), finished.path("lines").asLong(), "lines: the whole output");
        }
        String log1 = Files.readString(r.runDir().resolve("attempt-1.log"), StandardCharsets.ISO_8859_1);
        assertFalse(log1.contains("OutOfMemoryError"), "the failure line was in the dropped middle");
        JsonNode evidence = failure.path("evidence").get(0);
        assertTrue(evidence.path("text").asText().startsWith("torch.OutOfMemoryError"), evidence.toString());
        byte[] output1 = Files.readAllBytes(tmp.resolve("output-64"));
        String text1 = new String(output1, StandardCharsets.ISO_8859_1);
        assertEquals(TruncatedLog.lineEnds(output1, 0, text1.indexOf("torch.OutOfMemoryError")) + 1, evidence.path("line").asLong(),
                "evidence lines keep the output's numbering");
        try (var files = Files.list(r.runDir())) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".tail-")).toList(), "no side file is left");
        }
    }
}
