package dev.medic.util;

import java.time.Instant;
import java.util.Optional;

/** Whether the medic process that started something (a container, an attempt's processes) is still running. */
public final class Supervisors {
    private Supervisors() {
    }

    /** This process's id and start time, which together name it even after its id is reused. */
    public static long[] self() {
        ProcessHandle h = ProcessHandle.current();
        return new long[] {h.pid(), h.info().startInstant().map(Instant::toEpochMilli).orElse(0L)};
    }

    /** True once process {@code pid} has exited (a zombie that its parent has not reaped yet has exited). */
    public static boolean hasExited(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.io.IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        }
    }

    /** True when no live process has this id with this start time (within a second). */
    public static boolean isDead(long pid, long startMillis) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return true;
        }
        long actual = h.get().info().startInstant().map(Instant::toEpochMilli).orElse(startMillis);
        // the same id with another start time is another process that reused it
        return Math.abs(actual - startMillis) > 1000;
    }
}
