package dev.medic.supervise;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.Fixtures;
import dev.medic.Processes;
import dev.medic.journal.RunStatus;
import dev.medic.logs.TruncatedLog;
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

    /** Mounts a tmpfs of {@code size} on {@code <tmp>/runs}, the Harness's run folder, or skips the test. */
    private Path mountRuns(String size) throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        if (Processes.exec("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", runs.toString()) != 0) {
            String how = "cannot mount a " + size + " tmpfs (needs root): run the tests as root, as .ci/run does";
            if (Fixtures.inCi()) {
                fail(how);
            }
            Assumptions.abort(how);
        }
        return runs;
    }

    /** What flood.py writes: 100,000 lines of 73 bytes. */
    private static byte[] flood() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        for (int i = 0; i < 100000; i++) {
            written.writeBytes(String.format("line %06d %s%n", i, "x".repeat(60)).getBytes(StandardCharsets.US_ASCII));
        }
        return written.toByteArray();
    }

    private static final String FLOOD = "for i in range(100000):\n    print('line %06d ' % i + 'x' * 60)\n";

    @Test
    void aFullRunFolderStopsTheAttemptAndKeepsWhatWasWritten() throws Exception {
        Path runs = mountRuns("2m");
        try {
            Harness h = new Harness(tmp);
            h.maxAttempts = 3;
            Path s = h.script("flood.py", FLOOD);
            RunResult r = h.run("python3", s.toString());

            assertEquals(RunStatus.ESCALATED, r.status(), "a full disk is a person's problem, not a retry");
            assertEquals(1, r.exitCode());
            assertEquals(1, r.attempts());
            assertEquals(1, h.escalations.size());
            assertTrue(h.escalations.get(0).toString().contains("No space left on device"), h.escalations.get(0).toString());

            // the attempt log is exactly the start of what the child wrote: no hole, no garbage
            byte[] log = Files.readAllBytes(r.runDir().resolve("attempt-1.log"));
            byte[] all = flood();
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
            Processes.exec("umount", "-l", runs.toString());
        }
    }

    /** Runs {@code body} with a Harness whose run folder is a fresh tmpfs of {@code size}, attempt logs limited to {@code maxLogBytes}. */
    private void onSmallDisk(String size, long maxLogBytes, HarnessBody body) throws Exception {
        Path runs = mountRuns(size);
        try {
            Harness h = new Harness(tmp);
            h.maxAttempts = 3;
            h.options(o -> o.withMaxLogBytes(maxLogBytes));
            body.run(h);
        } finally {
            Processes.exec("umount", "-l", runs.toString());
        }
    }

    private interface HarnessBody {
        void run(Harness h) throws Exception;
    }

    @Test
    void aSizeLimitKeepsTheSameFloodFromFillingTheRunFolder() throws Exception {
        onSmallDisk("2m", 1 << 20, h -> {
            RunResult r = h.run("python3", h.script("flood.py", FLOOD).toString());
            assertEquals(RunStatus.SUCCEEDED, r.status(), "7.3 MB of output fit a 2 MB disk as the first and last 512K");
            TruncatedLog.read(r.runDir().resolve("attempt-1.log")).check(flood(), 1 << 20);
        });
    }

    @Test
    void aLimitedLogWhoseLastPartDoesNotFitStopsTheAttemptAndKeepsTheHeadClean() throws Exception {
        // the first 512K fit, the side files of the last part do not
        onSmallDisk("768k", 1 << 20, h -> {
            RunResult r = h.run("python3", h.script("flood.py", FLOOD).toString());
            assertEquals(RunStatus.ESCALATED, r.status());
            assertEquals(1, r.attempts());
            assertTrue(h.escalations.get(0).toString().contains("No space left on device"), h.escalations.get(0).toString());

            byte[] all = flood();
            byte[] log = Files.readAllBytes(r.runDir().resolve("attempt-1.log"));
            assertTrue(log.length > 400_000 && log.length <= 512 * 1024, "the log is the head: " + log.length);
            assertTrue(Arrays.equals(log, 0, log.length, all, 0, log.length), "the head is a prefix of the output");
            // the side files hold one unbroken stretch of what followed, with no byte written twice
            byte[] rest = TruncatedLog.joinedSideFiles(r.runDir().resolve("attempt-1.log"));
            assertTrue(rest.length > 0, "some of the last part reached the disk");
            int from = Integer.parseInt(new String(rest, 5, 6, StandardCharsets.US_ASCII)) * 73;
            assertTrue(from >= log.length, "after the head");
            assertTrue(Arrays.equals(rest, 0, rest.length, all, from, from + rest.length), "an exact stretch of the output");
        });
    }
}
