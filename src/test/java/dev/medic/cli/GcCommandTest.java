package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** `medic gc` over real run and sweep folders: only what finished long enough ago goes, and nothing outside. */
class GcCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(45));

    @TempDir
    Path tmp;

    /** A run folder as the supervisor leaves it: a log and a journal, ending in run_finished at {@code end} when given. */
    private static Path run(Path parent, String id, Instant start, Instant end) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(id));
        Files.writeString(dir.resolve("attempt-1.log"), "epoch 1 loss 0.5\n".repeat(1000));
        List<String> records = new ArrayList<>(List.of(
                "{\"ts\":\"" + start + "\",\"event\":\"run_started\",\"attempt\":0,\"run_id\":\"" + id + "\",\"argv\":[\"python3\",\"train.py\"]}",
                "{\"ts\":\"" + start.plusSeconds(1) + "\",\"event\":\"attempt_started\",\"attempt\":1,\"argv\":[\"python3\",\"train.py\"]}"));
        if (end != null) {
            records.add("{\"ts\":\"" + end.minusSeconds(1) + "\",\"event\":\"attempt_finished\",\"attempt\":1,\"exit_code\":0}");
            records.add("{\"ts\":\"" + end + "\",\"event\":\"run_finished\",\"attempt\":1,\"status\":\"succeeded\",\"exit_code\":0}");
        }
        Files.writeString(dir.resolve("journal.jsonl"), String.join("\n", records) + "\n");
        return dir;
    }

    private static InProcess gc(String... args) {
        List<String> all = new ArrayList<>(List.of("gc"));
        all.addAll(List.of(args));
        return InProcess.run(all.toArray(String[]::new));
    }

    @Test
    void removesOnlyRunsThatFinishedLongerAgoAndNeverFollowsALink() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path precious = Files.writeString(Files.createDirectories(outside.resolve("dataset")).resolve("weights.bin"), "weights");
        Path old = run(runs, "20260101-000000-aaaa", LONG_AGO.minusSeconds(3600), LONG_AGO);
        // links inside a run that gc removes: the links go, what they point at stays
        Files.createSymbolicLink(old.resolve("data"), outside.resolve("dataset"));
        Files.createSymbolicLink(old.resolve("model.pt"), precious);
        Path recent = run(runs, "20261120-000000-bbbb", Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(2)));
        Path unfinished = run(runs, "20260102-000000-cccc", LONG_AGO, null);
        Path notARun = Files.createDirectories(runs.resolve("notes"));
        Files.writeString(notARun.resolve("todo.txt"), "not medic's");
        // a run folder elsewhere, linked into the run folder: neither the link's target nor the link is touched
        Path elsewhere = run(outside, "20260103-000000-dddd", LONG_AGO, LONG_AGO);
        Files.createSymbolicLink(runs.resolve("20260103-000000-dddd"), elsewhere);
        // a journal that is a link does not make a run folder
        Path fake = Files.createDirectories(runs.resolve("20260104-000000-eeee"));
        Files.createSymbolicLink(fake.resolve("journal.jsonl"), elsewhere.resolve("journal.jsonl"));
        // a run_finished whose stamp cannot be read: the journal's last write counts
        Path unstamped = run(runs, "20260105-000000-ffff", LONG_AGO, LONG_AGO);
        Path journal = unstamped.resolve("journal.jsonl");
        Files.writeString(journal, Files.readString(journal).replace("\"ts\":\"" + LONG_AGO + "\",\"event\":\"run_finished\"",
                "\"ts\":\"yesterday-ish\",\"event\":\"run_finished\""));
        Files.setLastModifiedTime(journal, FileTime.from(LONG_AGO));
        long oldBytes = Files.size(old.resolve("attempt-1.log")) + Files.size(old.resolve("journal.jsonl"));

        InProcess dry = gc("--older-than", "30d", "--run-dir", runs.toString(), "--sweep-dir", tmp.resolve("sweeps").toString(), "--dry-run");
        assertEquals(ExitCodes.SUCCESS, dry.exitCode(), dry.err());
        assertTrue(dry.out().contains("would remove run " + old + " (finished " + LONG_AGO + ", "), dry.out());
        assertTrue(dry.out().contains("gc: dry run: would remove 2 folder(s)"), dry.out());
        assertTrue(Files.isDirectory(old) && Files.isDirectory(unstamped), "a dry run removes nothing");

        InProcess r = gc("--older-than", "30d", "--run-dir", runs.toString(), "--sweep-dir", tmp.resolve("sweeps").toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertFalse(Files.exists(old, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the old finished run is gone");
        assertFalse(Files.exists(unstamped), "finished long ago by its journal's last write");
        assertTrue(Files.isDirectory(recent), "finished 2 days ago: kept");
        assertTrue(Files.isDirectory(unfinished), "no run_finished: live or resumable, kept however old");
        assertTrue(Files.isRegularFile(notARun.resolve("todo.txt")), "not a run folder: kept");
        assertTrue(Files.isSymbolicLink(runs.resolve("20260103-000000-dddd")), "a link to a run is kept");
        assertTrue(Files.isRegularFile(elsewhere.resolve("journal.jsonl")), "the run outside the run folder is untouched");
        assertTrue(Files.isSymbolicLink(fake.resolve("journal.jsonl")), "a folder whose journal is a link is kept");
        assertEquals("weights", Files.readString(precious), "the target of a link inside a removed run is untouched");
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("removed run " + old + " (finished " + LONG_AGO + ", "), lines.get(0));
        assertTrue(lines.get(2).startsWith("gc: removed 2 folder(s), "), lines.get(2));
        assertTrue(lines.get(2).endsWith(" freed; kept 5"), lines.get(2));
        long total = Long.parseLong(lines.get(2).replaceAll(".*\\((\\d+) bytes\\).*", "$1"));
        assertTrue(total > oldBytes, "the bytes of both removed runs: " + total);
    }

    @Test
    void jsonSaysWhatWasRemovedAndWhyTheRestWasKept() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        Path old = run(runs, "20260101-000000-aaaa", LONG_AGO, LONG_AGO);
        run(runs, "20260102-000000-bbbb", LONG_AGO, null);
        InProcess r = gc("--older-than", "30d", "--run-dir", runs.toString(), "--sweep-dir", tmp.resolve("sweeps").toString(), "--json");
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals(1, o.path("count").asInt());
        assertEquals(old.toString(), o.path("removed").get(0).path("path").asText());
        assertEquals(LONG_AGO.toString(), o.path("removed").get(0).path("finished").asText());
        assertEquals(o.path("bytes").asLong(), o.path("removed").get(0).path("bytes").asLong());
        assertTrue(o.path("kept").get(0).path("reason").asText().startsWith("not finished"), r.out());
        assertEquals("30d", o.path("older_than").asText());
    }

    @Test
    void aLiveRunIsKeptUntilItFinishesAndARealRunIsRecognised() throws Exception {
        Path pid = tmp.resolve("child.pid");
        MedicProcess live = MedicProcess.start(tmp, Map.of(), "run", "-q", "--run-dir", "runs", "--", "python3", "-c",
                "import os, time; open('" + pid + "', 'w').write(str(os.getpid())); time.sleep(300)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(pid) || Files.readString(pid).isBlank()) {
            assertTrue(System.nanoTime() < deadline, live.err());
            Thread.sleep(50);
        }
        InProcess r = gc("--older-than", "0", "--run-dir", tmp.resolve("runs").toString(), "--sweep-dir", tmp.resolve("sweeps").toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("gc: removed 0 folder(s)"), r.out());
        try (var l = Files.list(tmp.resolve("runs"))) {
            assertEquals(1, l.count(), "the live run is kept even by --older-than 0");
        }
        live.process.destroy(); // SIGTERM: medic stops the child and ends the run as interrupted
        assertEquals(ExitCodes.INTERRUPTED_TERM, live.waitFor(), live.err());

        InProcess after = gc("--older-than", "0", "--run-dir", tmp.resolve("runs").toString(), "--sweep-dir", tmp.resolve("sweeps").toString());
        assertEquals(ExitCodes.SUCCESS, after.exitCode(), after.err());
        assertTrue(after.out().contains("gc: removed 1 folder(s)"), after.out());
        try (var l = Files.list(tmp.resolve("runs"))) {
            assertEquals(0, l.count(), "once finished, its folder goes");
        }
    }

    @Test
    void aSweepGoesWholeOnceEveryTrialFinishedAndItsFilesAreOld() throws Exception {
        Path sweeps = Files.createDirectories(tmp.resolve("sweeps"));
        Path done = sweep(sweeps, "20260101-000000-1111", LONG_AGO.minusSeconds(3600), LONG_AGO);
        Path running = sweep(sweeps, "20260102-000000-2222", LONG_AGO.minusSeconds(3600), null);
        // resumed: its trials are old, but it rewrote sweep.jsonl as it started again
        Path resumed = sweep(sweeps, "20260103-000000-3333", LONG_AGO.minusSeconds(3600), LONG_AGO);
        Files.setLastModifiedTime(resumed.resolve("sweep.jsonl"), FileTime.from(Instant.now()));
        Path notASweep = Files.createDirectories(sweeps.resolve("scratch"));

        InProcess r = gc("--older-than", "30d", "--run-dir", tmp.resolve("runs").toString(), "--sweep-dir", sweeps.toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertFalse(Files.exists(done), r.out());
        assertTrue(r.out().contains("removed sweep " + done + " (finished " + LONG_AGO + ", "), r.out());
        assertTrue(Files.isDirectory(running.resolve("trials")), "a trial is still running: the sweep is kept");
        assertTrue(Files.isDirectory(resumed.resolve("trials")), "a resumed sweep is kept");
        assertTrue(Files.isDirectory(notASweep));

        // a real sweep, just finished, is recognised as one
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "x=1,2", "--sweep-dir", "sweeps", "--", "python3", "-c",
                "print('trial {x}')");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        InProcess now = gc("--older-than", "0", "--run-dir", tmp.resolve("runs").toString(), "--sweep-dir", sweeps.toString(), "--json");
        JsonNode o = JSON.readTree(now.out());
        List<String> removed = new ArrayList<>();
        o.path("removed").forEach(x -> removed.add(x.path("path").asText() + " " + x.path("kind").asText()));
        assertEquals(2, removed.size(), now.out());
        assertTrue(removed.contains(resumed + " sweep"), now.out());
        assertTrue(removed.stream().anyMatch(x -> !x.startsWith(resumed.toString()) && x.endsWith(" sweep")), now.out());
    }

    /** A sweep folder as SweepFiles and SweepRunner leave it; its last trial finished at {@code end}, or is still running when null. */
    private static Path sweep(Path sweeps, String id, Instant start, Instant end) throws Exception {
        Path dir = Files.createDirectories(sweeps.resolve(id));
        Path trials = Files.createDirectories(dir.resolve("trials"));
        run(trials, "20260101-000001-0001", start, start.plusSeconds(60));
        run(trials, "20260101-000002-0002", start, end);
        Files.writeString(dir.resolve("sweep.jsonl"), "{\"trial\":1,\"status\":\"succeeded\"}\n");
        Files.setLastModifiedTime(dir.resolve("sweep.jsonl"), FileTime.from(start.plusSeconds(60)));
        if (end != null) {
            Files.writeString(dir.resolve("sweep.csv"), "trial,status\n1,succeeded\n");
            Files.setLastModifiedTime(dir.resolve("sweep.csv"), FileTime.from(end));
        }
        return dir;
    }

    @Test
    void badInputIsOneLineAndExit2() {
        InProcess missing = gc("--run-dir", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertEquals("medic: gc needs --older-than DURATION (e.g. 30d): it removes only what finished longer ago", missing.err().strip());
        InProcess bad = gc("--older-than", "a month", "--run-dir", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.exitCode());
        assertEquals("medic: Invalid value for option '--older-than': 'a month' is not a duration (use e.g. 90s, 30m, 2h, 1d)"
                + " (see 'medic gc --help')", bad.err().strip());
    }

    @Test
    @Tag("fault")
    void aRunFolderHoldingAnotherFileSystemIsKept() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        Path old = run(runs, "20260101-000000-aaaa", LONG_AGO, LONG_AGO);
        Path mount = Files.createDirectories(old.resolve("scratch"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            String how = "cannot mount a tmpfs (needs root): run the tests as root, as .ci/run does";
            if (Fixtures.inCi()) {
                fail(how);
            }
            Assumptions.abort(how);
        }
        try {
            Files.writeString(mount.resolve("data.bin"), "on another file system");
            InProcess r = gc("--older-than", "30d", "--run-dir", runs.toString(), "--sweep-dir", tmp.resolve("sweeps").toString());
            assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
            assertTrue(r.out().contains("kept run " + old + ": it holds another file system at " + mount), r.out());
            assertEquals("on another file system", Files.readString(mount.resolve("data.bin")));
            assertTrue(Files.isRegularFile(old.resolve("journal.jsonl")), "nothing of that run was removed");
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
        }
    }
}
