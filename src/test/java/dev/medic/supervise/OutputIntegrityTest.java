package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing a run writes is lost: the attempt log holds every byte, in order. */
class OutputIntegrityTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("fault")
    void aBurstOf200MegabytesLosesNoLine() throws Exception {
        Harness h = new Harness(tmp);
        Path digestFile = tmp.resolve("written.txt");
        // lines of varied length, some \r progress updates and CRLFs, written in large blocks as fast as possible
        Path s = h.script("burst.py", """
                import hashlib, sys
                target = 200 * 1024 * 1024
                out = sys.stdout.buffer
                h = hashlib.sha256()
                written = lines = i = 0
                while written < target:
                    block = []
                    for _ in range(2000):
                        i += 1
                        end = b'\\r' if i % 97 == 0 else (b'\\r\\n' if i % 89 == 0 else b'\\n')
                        block.append(b'%09d step loss %s' % (i, b'x' * (i % 181)) + end)
                    data = b''.join(block)
                    out.write(data)
                    h.update(data)
                    written += len(data)
                    lines += 2000
                out.flush()
                open(sys.argv[1], 'w').write(f'{written} {lines} {h.hexdigest()}')
                """);
        superviseAndCompare(h, s, digestFile);
    }

    @Test
    @Tag("fault")
    void aChildWritingAsFastAsItCanForFiveSecondsLosesNoByteAndLeavesNoProcess() throws Exception {
        Harness h = new Harness(tmp);
        Path digestFile = tmp.resolve("written.txt");
        // no pacing at all: a full pipe blocks the writer (back-pressure), nothing is dropped
        Path s = h.script("flood.py", """
                import hashlib, os, sys, time
                out = sys.stdout.buffer
                h = hashlib.sha256()
                written = lines = 0
                end = time.monotonic() + 5
                while time.monotonic() < end:
                    data = b''.join(b'step %d loss 0.%06d lr 3e-4\\n' % (lines + k, k) for k in range(500))
                    out.write(data)
                    h.update(data)
                    written += len(data)
                    lines += 500
                out.flush()
                open(sys.argv[1], 'w').write(f'{written} {lines} {h.hexdigest()} {os.getpid()}')
                """);
        String[] expected = superviseAndCompare(h, s, digestFile);
        assertTrue(Long.parseLong(expected[1]) > 100_000, "it did flood: " + expected[1] + " lines");
        assertFalse(ProcessHandle.of(Long.parseLong(expected[3])).map(ProcessHandle::isAlive).orElse(false),
                "the writer is gone");
    }

    @Test
    @Tag("fault")
    void twoHundredMegabytesWithoutANewlineAreKeptExactly() throws Exception {
        Harness h = new Harness(tmp);
        Path digestFile = tmp.resolve("written.txt");
        Path s = h.script("noline.py", """
                import hashlib, sys
                out = sys.stdout.buffer
                h = hashlib.sha256()
                block = bytes(range(32, 127)) * 11000
                written = 0
                while written < 200 * 1024 * 1024:
                    out.write(block)
                    h.update(block)
                    written += len(block)
                out.flush()
                open(sys.argv[1], 'w').write(f'{written} 1 {h.hexdigest()}')
                """);
        superviseAndCompare(h, s, digestFile);
    }

    @Test
    void evidenceLineNumbersCountLinesNotPiecesOfLongLines() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        Path s = h.script("long.py", "import sys\nprint('x' * 200000, flush=True)\nsys.stderr.write('RuntimeError: CUDA out of memory. Tried to allocate 2 GiB\\n')\nsys.exit(1)\n");
        RunResult r = h.run("python3", s.toString());
        JsonNode failure = Harness.events(r, "failure").get(0);
        assertEquals(2, failure.path("evidence").get(0).path("line").asInt(), "grep -n would say line 2");
        assertEquals(2, Harness.events(r, "attempt_finished").get(0).path("lines").asInt());
    }

    @Test
    @Tag("fault")
    void hostileBytesAreKeptExactlyAndTheFailureIsStillRecognised() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        // colour codes, invalid UTF-8, a NUL, a 10 MB line without a break, then the failure in colour
        Path s = h.script("hostile.py", """
                import sys
                out = sys.stdout.buffer
                out.write(b'\\x1b[31mEpoch 1\\x1b[0m loss=0.5\\n')
                out.write(b'bad utf8 \\xff\\xfe\\xc3\\x28 and a NUL \\x00 here\\n')
                out.write(b'A' * 10_000_000 + b'\\n')
                out.write(b'\\x1b[1;31mtorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\\x1b[0m\\n')
                out.flush()
                sys.exit(1)
                """);
        RunResult r = h.run("python3", s.toString(), "--batch-size", "64");
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.writeBytes("\u001b[31mEpoch 1\u001b[0m loss=0.5\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        expected.writeBytes(new byte[] {'b', 'a', 'd', ' ', 'u', 't', 'f', '8', ' ', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28});
        expected.writeBytes(" and a NUL \u0000 here\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        expected.writeBytes("A".repeat(10_000_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        expected.writeBytes("\n\u001b[1;31mtorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\u001b[0m\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path log = r.runDir().resolve("attempt-1.log");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray())), sha256(log),
                "the attempt log holds the bytes exactly as written");
        JsonNode failure = Harness.events(r, "failure").get(0);
        assertEquals("cuda_oom", failure.path("failure").asText());
        JsonNode evidence = failure.path("evidence").get(0);
        assertEquals(4, evidence.path("line").asInt());
        assertEquals("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB", evidence.path("text").asText(),
                "the evidence is the text without its colour codes");
        assertEquals("reduce_batch_size", Harness.events(r, "decision").get(0).path("fix").asText());
        Files.delete(log);
    }

    /**
     * Supervises the writer script to success and checks that attempt 1's log holds exactly what it
     * wrote: the script leaves "bytes lines sha256 ..." in {@code digestFile}. Deletes the log.
     */
    private static String[] superviseAndCompare(Harness h, Path script, Path digestFile) throws Exception {
        RunResult r = h.run("python3", script.toString(), digestFile.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status());
        String[] expected = Files.readString(digestFile).split(" ");
        Path log = r.runDir().resolve("attempt-1.log");
        assertEquals(Long.parseLong(expected[0]), Files.size(log), "bytes");
        assertEquals(expected[2], sha256(log), "content");
        assertEquals(Long.parseLong(expected[1]), Harness.events(r, "attempt_finished").get(0).path("lines").asLong(), "lines");
        Files.delete(log);
        return expected;
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
