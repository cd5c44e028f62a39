package dev.medic.supervise;

import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An attempt's processes are all found and stopped, and what they write before that is kept. */
@Tag("fault")
class ProcessCleanupTest {
    @TempDir
    Path tmp;

    @Test
    void outputWrittenAfterTheMainProcessExitsIsKept() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        for (int i = 0; i < 3; i++) {
            RunResult r = h.run("bash", "-c", "echo main; (sleep 0.2; echo late line from a child) & exit 0");
            String log = Files.readString(r.runDir().resolve("attempt-1.log"));
            assertTrue(log.contains("late line from a child"), "run " + i + ": " + log);
        }
    }

    @Test
    void signalsATrainingSendsItsOwnProcessGroupDoNotEndTheAttempt() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        // as a training that tells its workers to checkpoint: it handles the signals and goes on
        Path s = h.script("signals.py", """
                import os, signal, time
                for sig in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP, signal.SIGINT, signal.SIGALRM):
                    signal.signal(sig, lambda n, f: print('handled', n, flush=True))
                for step in range(1, 4):
                    print('step', step, flush=True)
                    os.killpg(0, signal.SIGUSR1 if step == 1 else signal.SIGINT if step == 2 else signal.SIGHUP)
                    time.sleep(0.2)
                print('training done', flush=True)
                """);
        RunResult r = h.run("python3", s.toString());
        String log = Files.readString(r.runDir().resolve("attempt-1.log"));
        assertEquals(RunStatus.SUCCEEDED, r.status(), log);
        assertTrue(log.contains("step 3") && log.contains("training done"), log);
    }

    @Test
    void aDaemonThatStartedItsOwnSessionIsStoppedToo() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        Path pidFile = tmp.resolve("daemon.pid");
        Path s = h.script("daemon.py", """
                import os, sys, time
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        open(sys.argv[1], 'w').write(str(os.getpid()))
                        time.sleep(300)
                    os._exit(0)
                time.sleep(0.5)
                print('parent done', flush=True)
                """);
        long t0 = System.nanoTime();
        RunResult r = h.run("python3", s.toString(), pidFile.toString());
        assertTrue((System.nanoTime() - t0) / 1e9 < 8, "the daemon holding the output did not delay the run");
        assertEquals(RunStatus.SUCCEEDED, r.status());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Thread.sleep(100);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid), "daemon " + pid + " was stopped");
    }

    @Test
    void aChildThatClosesStdoutEarlyIsStillFollowedUntilItEnds() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        Path s = h.script("closer.py", """
                import os, sys, time
                print('last words on stdout', flush=True)
                os.close(1)
                for i in range(5):
                    time.sleep(0.3)
                    sys.stderr.write('still training, step %d\\n' % i)
                    sys.stderr.flush()
                sys.exit(3)
                """);
        RunResult r = h.run("python3", s.toString());
        String log = Files.readString(r.runDir().resolve("attempt-1.log"));
        assertEquals("last words on stdout\nstill training, step 0\nstill training, step 1\nstill training, step 2\n"
                + "still training, step 3\nstill training, step 4\n", log, "a closed stdout is not the end of the attempt");
        assertEquals(3, Harness.events(r, "attempt_finished").get(0).path("exit_code").asInt());
    }

    private static boolean zombie(long pid) {
        try {
            String st = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return st.charAt(st.lastIndexOf(')') + 2) == 'Z';
        } catch (Exception e) {
            return true;
        }
    }
}
