package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.journal.JournalLines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training process that can see its run or sweep folder plants symbolic links to a file outside
 * where medic will write next; medic refuses each in one line and the file outside stays as it was.
 * Medic runs as a real process over real children that plant the links themselves.
 */
@Tag("fault")
class RunFolderLinkTest {
    static final String HOST_TEXT = "host data that no run may touch\n";

    @TempDir
    Path tmp;
    Path outside;
    Path hostFile;

    @BeforeEach
    void hostFile() throws Exception {
        outside = Files.createDirectories(tmp.resolve("outside"));
        hostFile = outside.resolve("host.txt");
        Files.writeString(hostFile, HOST_TEXT);
        Files.setPosixFilePermissions(hostFile, PosixFilePermissions.fromString("rw-r--r--"));
    }

    static Path onlyChild(Path dir) throws Exception {
        try (var l = Files.list(dir)) {
            return l.findFirst().orElseThrow();
        }
    }

    /** A shell script for attempt 1 (plants, then fails with a network error medic retries) and later attempts (succeed). */
    static String firstAttemptPlants(String plant, String failure) {
        return "if [ -e marker ]; then echo later attempt; exit 0; fi; touch marker; " + plant + "; echo '" + failure + "'; exit 1";
    }

    /** Shell words that replace NAME in every folder under DIR with a link to TARGET (a glob matches only what exists). */
    static String link(Path target, String dir, String name) {
        return "for d in " + dir + "/*/; do ln -sfn " + target + " \"$d\"" + name + "; done";
    }

    /** A failure medic fixes at once when the command has a batch size (the tests give it {@code --batch-size 64}). */
    static final String RETRYABLE = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB";

    /** The one line medic prints about a planted link, and nothing like a stack trace. */
    static void refusedInOneLine(String err, Path planted) {
        List<String> lines = err.lines().filter(l -> l.contains("refusing to")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("medic: refusing to "), err);
        assertTrue(lines.get(0).contains(planted.toString() + ": it is a symbolic link"), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    void hostFileUntouched() throws Exception {
        assertEquals(HOST_TEXT, Files.readString(hostFile), "the file outside the run folder is unchanged");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(hostFile)), "and so is its mode");
    }

    /** The journal is whole (every line parses) and ends with run_finished. */
    static List<JsonNode> wholeJournal(Path run) throws Exception {
        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        assertEquals(Files.readAllLines(run.resolve("journal.jsonl")).size(), journal.size(), "every line is a record");
        assertEquals("run_finished", journal.get(journal.size() - 1).path("event").asText(), journal.toString());
        assertTrue(journal.stream().anyMatch(r -> r.path("event").asText().equals("link_refused")), journal.toString());
        assertTrue(journal.stream().noneMatch(r -> r.path("event").asText().equals("rules_failed")),
                "a planted link is not a rule failure: " + journal);
        return journal;
    }

    @Test
    void aPlantedNextAttemptLogIsRefusedAndTheRunEnds() throws Exception {
        String script = firstAttemptPlants(link(hostFile, "runs", "attempt-2.log"), RETRYABLE);
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--backoff", "0s", "--run-dir", "runs", "--",
                "sh", "-c", script, "sh", "--batch-size", "64");
        int code = m.waitFor();
        hostFileUntouched();
        assertEquals(ExitCodes.RUN_FAILED, code, m.err());
        Path run = onlyChild(tmp.resolve("runs"));
        refusedInOneLine(m.err(), Path.of("runs").resolve(run.getFileName()).resolve("attempt-2.log"));
        List<JsonNode> journal = wholeJournal(run);
        JsonNode end = journal.get(journal.size() - 1);
        assertEquals("failed", end.path("status").asText(), end.toString());
        assertEquals(ExitCodes.RUN_FAILED, end.path("exit_code").asInt(), end.toString());
        assertTrue(journal.stream().anyMatch(r -> r.path("event").asText().equals("link_refused")
                && r.path("path").asText().endsWith("attempt-2.log")), journal.toString());
    }

    @Test
    void aFifoOrADevicePlantedAsTheNextAttemptLogIsRefusedNotOpened() throws Exception {
        // a FIFO would hang medic in open(); a device would take the next attempt's output (mknod: CI runs as root)
        String[] plants = {"mkfifo", "mknod -m 666"};
        String[] devices = {"", " c 1 3"};
        String[] what = {"a FIFO", "a character device"};
        for (int i = 0; i < plants.length; i++) {
            Path dir = Files.createDirectories(tmp.resolve("case-" + i));
            String plant = "for d in runs/*/; do " + plants[i] + " \"$d\"attempt-2.log" + devices[i] + "; done";
            MedicProcess m = MedicProcess.start(dir, Map.of(), "run", "-q", "--backoff", "0s", "--run-dir", "runs", "--",
                    "sh", "-c", firstAttemptPlants(plant, RETRYABLE), "sh", "--batch-size", "64");
            assertEquals(ExitCodes.RUN_FAILED, m.waitFor(60), m.err());
            Path run = onlyChild(dir.resolve("runs"));
            String planted = Path.of("runs").resolve(run.getFileName()).resolve("attempt-2.log").toString();
            assertTrue(m.err().contains("medic: refusing to write " + planted + ": it is " + what[i] + "; a run folder holds only what medic made"),
                    m.err());
            assertFalse(m.err().contains("Exception"), m.err());
            assertEquals("run_finished", wholeJournal(run).get(wholeJournal(run).size() - 1).path("event").asText());
        }
    }

    @Test
    void aPlantedLockLinkDoesNotLetResumeTruncateTheTarget() throws Exception {
        String script = link(hostFile, "runs", "medic.lock") + "; echo 'ValueError: bad value'; exit 1";
        MedicProcess first = MedicProcess.start(tmp, Map.of(), "run", "-q", "--max-attempts", "1", "--run-dir", "runs", "--",
                "sh", "-c", script, "sh", "--batch-size", "64");
        assertEquals(ExitCodes.RUN_FAILED, first.waitFor(), first.err());
        Path run = onlyChild(tmp.resolve("runs"));
        assertTrue(Files.isSymbolicLink(run.resolve("medic.lock")), "the child planted the link");
        hostFileUntouched();

        MedicProcess resumed = MedicProcess.start(tmp, Map.of(), "run", "-q", "--max-attempts", "3", "--run-dir", "runs",
                "--resume", run.getFileName().toString());
        int code = resumed.waitFor();
        hostFileUntouched();
        assertEquals(ExitCodes.RUN_FAILED, code, resumed.err());
        refusedInOneLine(resumed.err(), Path.of("runs").resolve(run.getFileName()).resolve("medic.lock"));
    }

    @Test
    void aPlantedFixFolderGetsNoConfigCopy() throws Exception {
        Files.writeString(tmp.resolve("cfg.yaml"), "batch_size: 64\n");
        String script = firstAttemptPlants(link(outside, "runs", "fix-1"), RETRYABLE);
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--backoff", "0s", "--run-dir", "runs", "--",
                "sh", "-c", script, "sh", "--config", "cfg.yaml");
        int code = m.waitFor();
        assertFalse(Files.exists(outside.resolve("cfg.yaml")), "no copy was written through the link");
        assertEquals(ExitCodes.RUN_FAILED, code, m.err());
        Path run = onlyChild(tmp.resolve("runs"));
        refusedInOneLine(m.err(), Path.of("runs").resolve(run.getFileName()).resolve("fix-1"));
        wholeJournal(run);
    }

    @Test
    void aPlantedPipLogIsNotWrittenThrough() throws Exception {
        String script = firstAttemptPlants(link(hostFile, "runs", "fix-1-pip_install.log"),
                "ModuleNotFoundError: No module named 'yaml'");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--backoff", "0s", "--run-dir", "runs",
                "--pip", "echo", "--", "sh", "-c", script, "sh", "--batch-size", "64");
        int code = m.waitFor();
        hostFileUntouched();
        assertEquals(ExitCodes.RUN_FAILED, code, m.err());
        Path run = onlyChild(tmp.resolve("runs"));
        refusedInOneLine(m.err(), Path.of("runs").resolve(run.getFileName()).resolve("fix-1-pip_install.log"));
        wholeJournal(run);
    }

    @Test
    void plantedSweepFilesAreRefusedAndTheSweepEnds() throws Exception {
        Path second = outside.resolve("second.txt");
        Files.writeString(second, HOST_TEXT);
        // trial 1 plants both files of the sweep folder; trial 2 would run after it
        String script = "if [ {t} = 1 ]; then " + link(hostFile, "sweeps", "sweep.jsonl") + "; " + link(second, "sweeps", "sweep.csv")
                + "; fi; echo trial {t}";
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "t=1,2", "--parallel", "1", "--sweep-dir", "sweeps",
                "--", "sh", "-c", script, "sh", "--batch-size", "64");
        int code = m.waitFor();
        hostFileUntouched();
        assertEquals(ExitCodes.RUN_FAILED, code, m.err());
        assertEquals(HOST_TEXT, Files.readString(second));
        Path sweep = onlyChild(tmp.resolve("sweeps"));
        refusedInOneLine(m.err(), Path.of("sweeps").resolve(sweep.getFileName()).resolve("sweep.jsonl"));
        try (var l = Files.list(sweep.resolve("trials"))) {
            assertEquals(1, l.count(), "no trial starts after the sweep folder was found tampered with");
        }
    }

    @Test
    void aPlantedSlurmScriptIsRefused() throws Exception {
        dev.medic.backend.slurm.SlurmTestSupport.requireCluster();
        String script = firstAttemptPlants(link(hostFile, "runs", "slurm-attempt-2.sh"), RETRYABLE);
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--backoff", "0s", "--backend", "slurm",
                "--run-dir", "runs", "--", "sh", "-c", script, "sh", "--batch-size", "64");
        int code = m.waitFor();
        hostFileUntouched();
        assertEquals(ExitCodes.RUN_FAILED, code, m.err());
        Path run = onlyChild(tmp.resolve("runs"));
        refusedInOneLine(m.err(), Path.of("runs").resolve(run.getFileName()).resolve("slurm-attempt-2.sh"));
        wholeJournal(run);
    }

    @Test
    void aSideFileSwappedForALinkIsNotCopiedIntoTheLog() throws Exception {
        // over --max-log-size the last part waits in side files; the run swaps them for links to a host file
        String script = "python3 -c \"print(('x' * 99 + chr(10)) * 20000, end='', flush=True)\"; sleep 1; "
                + "for f in runs/*/attempt-1.log.tail-*; do rm \"$f\"; ln -s " + hostFile + " \"$f\"; done";
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--max-log-size", "1M", "--run-dir", "runs", "--",
                "sh", "-c", script);
        int code = m.waitFor();
        Path run = onlyChild(tmp.resolve("runs"));
        assertFalse(Files.readString(run.resolve("attempt-1.log")).contains("no run may touch"),
                "the host file's text was not copied into the log");
        assertEquals(ExitCodes.RUN_FAILED, code, m.err());
        String err = m.err();
        assertTrue(err.contains("refusing to read " + Path.of("runs").resolve(run.getFileName()).resolve("attempt-1.log.tail-")), err);
        assertEquals(1, err.lines().filter(l -> l.contains("refusing to")).count(), err);
        wholeJournal(run);
    }

    @Test
    void runAndSweepFoldersAndTheirFilesArePrivateUnderUmask022() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 022; exec \"$@\"", "sh"));
        cmd.addAll(MedicProcess.command("run", "-q", "--run-dir", "runs", "--max-log-size", "1M", "--",
                "python3", "-c", "import sys\nfor i in range(40000): print('x' * 40)"));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Path run = onlyChild(tmp.resolve("runs"));
        assertEquals("rwx------", mode(run));
        for (String f : List.of("attempt-1.log", "journal.jsonl", "medic.lock")) {
            assertEquals("rw-------", mode(run.resolve(f)), f);
        }
        assertTrue(Files.readString(run.resolve("attempt-1.log")).contains("--max-log-size"), "the limit was reached");

        cmd = new ArrayList<>(List.of("sh", "-c", "umask 022; exec \"$@\"", "sh"));
        cmd.addAll(MedicProcess.command("sweep", "--grid", "t=1", "--sweep-dir", "sweeps", "--", "echo", "trial {t}"));
        p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Path sweep = onlyChild(tmp.resolve("sweeps"));
        assertEquals("rwx------", mode(sweep));
        assertEquals("rwx------", mode(sweep.resolve("trials")));
        assertEquals("rw-------", mode(sweep.resolve("sweep.csv")));
        assertEquals("rw-------", mode(sweep.resolve("sweep.jsonl")));
        Path trial = onlyChild(sweep.resolve("trials"));
        assertEquals("rwx------", mode(trial));
        assertEquals("rw-------", mode(trial.resolve("attempt-1.log")));
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
