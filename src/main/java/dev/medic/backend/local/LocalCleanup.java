package dev.medic.backend.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds processes of attempts whose supervisor died (SIGKILL, a crash) and stops them. Every
 * attempt's processes carry {@code MEDIC_ATTEMPT=<supervisor pid>-<supervisor start>-<n>}; a
 * process is stopped only when that supervisor is no longer running.
 */
public final class LocalCleanup {
    private static final Path PROC = Path.of("/proc");

    /** The marker value for an attempt of this supervisor. */
    static String marker(long sequence) {
        long[] self = dev.medic.util.Supervisors.self();
        return self[0] + "-" + self[1] + "-" + sequence;
    }

    /** Stops orphaned attempt processes (TERM, then KILL after {@code graceMillis}); one line per process. */
    public List<String> stopOrphans(long graceMillis) throws InterruptedException {
        List<ProcessHandle> orphans = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                String marker = markerOf(p);
                if (marker == null || !supervisorIsDead(marker)) {
                    continue;
                }
                Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(name));
                h.ifPresent(orphans::add);
                h.ifPresent(ph -> lines.add("stopped process " + ph.pid() + " (" + ph.info().command().orElse("?")
                        + ") of a dead supervisor"));
            }
        } catch (IOException e) {
            return List.of();
        }
        orphans.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (System.nanoTime() < deadline && orphans.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(50);
        }
        orphans.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return lines;
    }

    private static String markerOf(Path procDir) {
        byte[] env;
        try {
            env = Files.readAllBytes(procDir.resolve("environ"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String prefix = ProcessGroup.MARKER + "=";
        for (String entry : new String(env, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
            if (entry.startsWith(prefix)) {
                return entry.substring(prefix.length());
            }
        }
        return null;
    }

    /** {@code pid-startMillis-n}: dead when no live process has that id and start time. */
    static boolean supervisorIsDead(String marker) {
        String[] p = marker.split("-");
        if (p.length < 3) {
            return false;
        }
        long pid;
        long start;
        try {
            pid = Long.parseLong(p[0]);
            start = Long.parseLong(p[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        return dev.medic.util.Supervisors.isDead(pid, start);
    }
}
