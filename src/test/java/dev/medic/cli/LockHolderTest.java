package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Processes;
import dev.medic.supervise.RunLock;
import dev.medic.util.Hosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A lock file counts only when the process it names is a medic that holds that run: stop, ps and gc never trust a forged one. */
@Tag("fault")
class LockHolderTest {
    @TempDir
    Path tmp;

    private static String lockText(ProcessHandle p) {
        return p.pid() + " " + p.info().startInstant().map(Instant::toEpochMilli).orElseThrow() + " " + Hosts.name() + "\n";
    }

    private Path finishedRun(Path runs) throws Exception {
        InProcess r = InProcess.run("run", "--run-dir", runs.toString(), "--", "true");
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        try (var l = Files.list(runs)) {
            return l.max(Path::compareTo).orElseThrow();
        }
    }

    @Test
    void aForgedLockNamingAnotherProcessIsNotALiveSupervisor() throws Exception {
        Path runs = tmp.resolve("runs");
        Path run = finishedRun(runs);
        Path lock = run.resolve(RunLock.FILE);
        // the process even holds the lock file open, with the right start time: its command line is no medic's
        Process sleep = new ProcessBuilder("sleep", "120").redirectInput(lock.toFile()).start();
        try {
            Files.writeString(lock, lockText(sleep.toHandle()));
            String id = run.getFileName().toString();

            InProcess stop = InProcess.run("stop", id, "--run-dir", runs.toString());
            assertEquals(ExitCodes.SUCCESS, stop.exitCode(), stop.err());
            assertEquals("run " + id + " is not running (succeeded)\n", stop.out());
            Thread.sleep(300);
            assertTrue(sleep.isAlive(), "medic stop signalled a process that is not its supervisor");

            JsonNode ps = new ObjectMapper().readTree(InProcess.run("ps", "--json", "--all", "--run-dir", runs.toString()).out());
            assertEquals("succeeded", ps.get(0).path("status").asText(), ps.toString());

            InProcess gc = InProcess.run("gc", "--older-than", "0", "--run-dir", runs.toString(), "--sweep-dir", tmp.resolve("s").toString());
            assertEquals(ExitCodes.SUCCESS, gc.exitCode(), gc.err());
            assertTrue(gc.out().contains("removed run " + run), gc.out());
        } finally {
            sleep.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLockNamingTheSupervisorOfAnotherRunIsNotThisRunsHolder() throws Exception {
        Path runs = tmp.resolve("runs");
        Path other = finishedRun(runs);
        Process detach = new ProcessBuilder(MedicProcess.command("run", "--detach", "--run-dir", runs.toString(), "--", "sleep", "120"))
                .directory(tmp.toFile()).start();
        assertTrue(detach.waitFor(60, TimeUnit.SECONDS));
        String liveId = new String(detach.getInputStream().readAllBytes()).strip();
        Path live = runs.resolve(liveId);
        long supervisor = RunLock.owner(live).orElseThrow().pid();
        try {
            Files.writeString(other.resolve(RunLock.FILE), Files.readString(live.resolve(RunLock.FILE)));
            InProcess stop = InProcess.run("stop", other.getFileName().toString(), "--run-dir", runs.toString());
            assertEquals(ExitCodes.SUCCESS, stop.exitCode(), stop.err());
            assertTrue(stop.out().contains("is not running"), stop.out());
            Thread.sleep(300);
            assertTrue(Processes.running(supervisor), "the supervisor of run " + liveId + " was signalled for another run");
        } finally {
            InProcess end = InProcess.run("stop", liveId, "--run-dir", runs.toString());
            assertEquals("stopped run " + liveId + " (interrupted)\n", end.out(), end.err());
        }
    }
}
