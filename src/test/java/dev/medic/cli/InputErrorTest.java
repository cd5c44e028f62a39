package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.Processes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Input medic cannot use ends in one true line and the right exit code; advice says nothing the run did not do. */
class InputErrorTest {
    @TempDir
    Path tmp;

    private static void oneLine(InProcess r) {
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("medic: "), r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("Exception"), r.err());
    }

    @Test
    @Tag("fault")
    void aReadOnlySweepFolderIsBadInputLikeARunFolder() throws Exception {
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        if (Processes.exec("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro.toString()) != 0) {
            String how = "cannot mount a read-only tmpfs (needs root): run the tests as root, as .ci/run does";
            if (Fixtures.inCi()) {
                fail(how);
            }
            Assumptions.abort(how);
        }
        try {
            InProcess sweep = InProcess.run("sweep", "--grid", "x=1", "--sweep-dir", ro.resolve("sweeps").toString(), "--", "true");
            assertEquals(ExitCodes.BAD_INPUT, sweep.exitCode(), sweep.err());
            oneLine(sweep);
            assertTrue(sweep.err().contains("cannot create a sweep folder under " + ro.resolve("sweeps")), sweep.err());
            assertTrue(sweep.err().contains("Read-only file system"), sweep.err());
            InProcess run = InProcess.run("run", "--run-dir", ro.resolve("runs").toString(), "--", "true");
            assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        } finally {
            Processes.exec("umount", "-l", ro.toString());
        }
    }

    @Test
    void replayOfAFolderSaysItIsAFolder() throws Exception {
        InProcess r = InProcess.run("replay", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        oneLine(r);
        assertTrue(r.err().contains(tmp + " is a folder, not a log file"), r.err());
        assertFalse(r.err().contains("no such file"), r.err());

        Path log = Files.writeString(tmp.resolve("train.log"), "epoch 1\n");
        InProcess h = InProcess.run("replay", log.toString(), "--history", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, h.exitCode(), h.err());
        oneLine(h);
        assertTrue(h.err().contains("--history: " + tmp + " is a folder, not a journal file"), h.err());

        InProcess missing = InProcess.run("replay", tmp.resolve("nope.log").toString());
        assertTrue(missing.err().contains(tmp.resolve("nope.log") + ": no such file"), missing.err());
    }

    @Test
    void oversizedConfigAndTrialsFilesAreRefusedBeforeTheyAreParsed() throws Exception {
        Path config = Files.writeString(tmp.resolve("medic.yaml"), "note: \"" + "x".repeat(2 << 20) + "\"\n");
        InProcess r = InProcess.run("run", "--config", config.toString(), "--run-dir", tmp.resolve("runs").toString(), "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertEquals("medic: " + config + ": 2.0M is over the 1M limit for a config file\n", r.err());
        Path trials = Files.writeString(tmp.resolve("trials.yaml"), "- lr: \"" + "1".repeat(2 << 20) + "\"\n");
        InProcess s = InProcess.run("sweep", "--trials", trials.toString(), "--sweep-dir", tmp.resolve("sweeps").toString(),
                "--", "echo", "{lr}");
        assertEquals(ExitCodes.BAD_INPUT, s.exitCode(), s.err());
        assertEquals("medic: --trials " + trials + ": 2.0M is over the 1M limit for a trials file\n", s.err());
    }

    @Test
    void anAliasInMedicYamlIsAnErrorNamingFileAndLine() throws Exception {
        Path config = Files.writeString(tmp.resolve("medic.yaml"), "backoff: &quick 0s\nmax-attempts: 2\nstall-timeout: *quick\n");
        InProcess r = InProcess.run("run", "--config", config.toString(), "--run-dir", tmp.resolve("runs").toString(), "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        oneLine(r);
        assertTrue(r.err().contains(config + ":3:"), r.err());
        assertTrue(r.err().contains("*quick"), r.err());
    }

    @Test
    void escalationAdviceDoesNotCountAttemptsThatDidNotHappen() throws Exception {
        InProcess timedOut = InProcess.run("run", "--attempt-timeout", "1s", "--max-attempts", "1", "--backoff", "0s", "--kill-grace", "1s",
                "--run-dir", tmp.resolve("runs").toString(), "--", "sleep", "30");
        assertEquals(ExitCodes.RUN_FAILED, timedOut.exitCode(), timedOut.err());
        String advice = advice(timedOut.err());
        assertTrue(advice.contains("--attempt-timeout"), advice);
        assertFalse(advice.contains("twice"), "one attempt ran: " + advice);

        InProcess unknown = InProcess.run("run", "--max-attempts", "1", "--backoff", "0s", "--run-dir", tmp.resolve("runs").toString(),
                "--", "sh", "-c", "echo something odd; exit 3");
        assertEquals(ExitCodes.RUN_FAILED, unknown.exitCode(), unknown.err());
        String unknownAdvice = advice(unknown.err());
        assertFalse(unknownAdvice.contains("retry did not help"), "no retry ran: " + unknownAdvice);
    }

    private static String advice(String err) {
        List<String> lines = err.lines().filter(l -> l.contains("advice: ")).toList();
        assertEquals(1, lines.size(), err);
        return lines.get(0);
    }
}
