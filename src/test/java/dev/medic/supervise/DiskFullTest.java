package dev.medic.supervise;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The run folder's file system fills up: medic says so, stops the attempt, and what it wrote stays whole. */
@Tag("fault")
class DiskFullTest {
    @TempDir
    Path tmp;

    private static int sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void aFullRunFolderStopsTheAttemptAndKeepsWhatWasWritten() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        if (sh("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", runs.toString()) != 0) {
            String how = "cannot mount a 2 MB tmpfs (needs root): run the tests as root, as .ci/run does";
            if (Fixtures.inCi()) {
                fail(how);
            }
            Assumptions.abort(how);
        }
        try {
            Harness h = new Harness(tmp);
            h.maxAttempts = 3;
            Path s = h.script("flood.py", "for i in range(100000):\n    print('line %06d ' % i + 'x' * 60)\n");
            RunResult r = h.run("python3", s.toString());

            assertEquals(RunResult.Status.ESCALATED, r.status(), "a full disk is a person's problem, not a retry");
            assertEquals(1, r.exitCode());
            assertEquals(1, r.attempts());
            assertEquals(1, h.escalations.size());
            assertTrue(h.escalations.get(0).toString().contains("No space left on device"), h.escalations.get(0).toString());

            // the attempt log is exactly the start of what the child wrote: no hole, no garbage
            byte[] log = Files.readAllBytes(r.runDir().resolve("attempt-1.log"));
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            for (int i = 0; i < 100000; i++) {
                written.writeBytes(String.format("line %06d %s%n", i, "x".repeat(60)).getBytes(StandardCharsets.US_ASCII));
            }
            byte[] all = written.toByteArray();
            assertTrue(log.length > 1_000_000 && log.length < all.length, "log length " + log.length);
            assertTrue(Arrays.equals(log, 0, log.length, all, 0, log.length), "the log is a prefix of the output");

            // every journal record that reached the disk is a whole JSON object
            List<String> records = Files.readAllLines(r.runDir().resolve("journal.jsonl"));
            ObjectMapper json = new ObjectMapper();
            for (String rec : records) {
                assertTrue(json.readTree(rec).has("event"), rec);
            }
            assertEquals("run_started", json.readTree(records.get(0)).path("event").asText());
        } finally {
            sh("umount", "-l", runs.toString());
        }
    }
}
