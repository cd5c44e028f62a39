package dev.medic.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Whether the medic process that started something (a container, an attempt's processes) is still running. */
public final class Supervisors {
    private static final Path PROC = Path.of("/proc");
    private static final String MAIN = "dev.medic.cli.Main";
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

    /**
     * True when process {@code pid}, started at {@code startMillis}, is a medic that has
     * {@code lockFile} open: the supervisor a run's lock file names, not a process that reused its
     * id, nor one a forged lock file names, nor the medic of another run. Where its open files
     * cannot be read (another user's process), its command line and start time decide; without
     * {@code /proc}, the start time alone.
     */
    public static boolean holdsOpen(long pid, long startMillis, Path lockFile) {
        if (isDead(pid, startMillis)) {
            return false;
        }
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return true;
        }
        if (pid != ProcessHandle.current().pid() && !isMedic(commandLine(pid))) {
            return false;
        }
        Object lock;
        try {
            lock = Files.readAttributes(lockFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return false;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    // the link leads to the open file itself: its device and inode, whatever path named it
                    if (lock.equals(Files.readAttributes(fd, BasicFileAttributes.class).fileKey())) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the next one
                }
            }
            return false;
        } catch (AccessDeniedException notOurs) {
            return true;
        } catch (IOException exited) {
            return false;
        }
    }

    /** True for the argv of a JVM running medic: its main class, or a medic jar after {@code -jar}. */
    static boolean isMedic(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals(MAIN)) {
                return true;
            }
            if (a.equals("-jar") && i + 1 < argv.size()) {
                String jar = Path.of(argv.get(i + 1)).getFileName().toString();
                return jar.startsWith("medic") && jar.endsWith(".jar");
            }
        }
        return false;
    }

    private static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            return raw.length == 0 ? List.of() : List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
