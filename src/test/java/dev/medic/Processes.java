package dev.medic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Process checks the end-to-end tests share. */
public final class Processes {
    private Processes() {
    }

    /** True while the process exists and is not a zombie waiting for its parent to reap it. */
    public static boolean running(long pid) {
        try {
            String st = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return st.charAt(st.lastIndexOf(')') + 2) != 'Z';
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs a helper command (mount, mkfifo, ...) to its end, its output discarded; its exit code. */
    public static int exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    public interface Check {
        boolean holds() throws Exception;
    }

    /** Waits up to a minute for {@code check}; fails the test naming {@code what} otherwise. */
    public static void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.holds()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(50);
        }
    }
}
