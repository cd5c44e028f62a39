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
 * attempt's processes carry {@code MEDIC_ATTEMPT=<supervisor pid>-<supervisor start>-<attempt> <run folder>};
 * a process is stopped only when that supervisor is no longer running and no live medic has
 * taken its run up again.
 */
public final class LocalCleanup {
    private static final Path PROC = Path.of("/proc");

    /** Whose an attempt's processes are: the supervisor that started them, the attempt, the run folder (null for markers of older medics). */
    record Marker(String supervisor, int attempt, Path runDir) {
        static Marker parse(String value) {
            int space = value.indexOf(' ');
            String supervisor = space < 0 ? value : value.substring(0, space);
            String[] p = supervisor.split("-");
            int attempt = 0;
            try {
                attempt = p.length == 3 ? Integer.parseInt(p[2]) : 0;
            } catch (NumberFormatException e) {
                // a sequence number of an older medic, not an attempt
            }
            return new Marker(supervisor, attempt, space < 0 ? null : Path.of(value.substring(space + 1)));
        }

        boolean ofRun(Path dir) {
            return runDir != null && runDir.equals(canonical(dir));
        }
    }

    /** The marker value for attempt {@code attempt} of the run in {@code runDir}, started by this supervisor. */
    static String marker(int attempt, Path runDir) {
        long[] self = dev.medic.util.Supervisors.self();
        return self[0] + "-" + self[1] + "-" + attempt + " " + canonical(runDir);
    }

    /** One spelling of a folder, so a run reached through another path (a link) is still the same run. */
    static Path canonical(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** Stops orphaned attempt processes (TERM, then KILL after {@code graceMillis}); one line per process. */
    public List<String> stopOrphans(long graceMillis) throws InterruptedException {
        return stopOrphans(graceMillis, dir -> false);
    }

    /**
     * Stops the processes of attempts whose supervisor died, except those of runs {@code takenUp}
     * says a live medic supervises again (it adopted their attempt).
     */
    public List<String> stopOrphans(long graceMillis, java.util.function.Predicate<Path> takenUp) throws InterruptedException {
        return stop(graceMillis, m -> supervisorIsDead(m.supervisor()) && (m.runDir() == null || !takenUp.test(m.runDir())),
                "of a dead supervisor");
    }

    /** Stops what earlier supervisors of the run in {@code runDir} left, except the processes of attempt {@code keep}. */
    public List<String> stopRun(long graceMillis, Path runDir, int keep) throws InterruptedException {
        return stop(graceMillis, m -> m.ofRun(runDir) && m.attempt() != keep, "left by an earlier supervisor of this run");
    }

    private List<String> stop(long graceMillis, java.util.function.Predicate<Marker> chosen, String whose) throws InterruptedException {
        List<ProcessHandle> orphans = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                String marker = markerOf(p);
                if (marker == null || !chosen.test(Marker.parse(marker))) {
                    continue;
                }
                Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(name));
                h.ifPresent(orphans::add);
                h.ifPresent(ph -> lines.add("stopped process " + ph.pid() + " (" + ph.info().command().orElse("?")
                        + ") " + whose));
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
    static boolean supervisorIsDead(String supervisor) {
        String[] p = supervisor.split("-");
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
