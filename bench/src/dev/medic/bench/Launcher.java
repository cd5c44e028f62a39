package dev.medic.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whole-process runs of medic go through {@code bin/medic}, as a user starts it (JVM options,
 * class-data archive and all), in the medic home that bench/run.sh lays out around its snapshot of
 * the jar ({@code -Dbench.home}: bin/, target/medic.jar, rules/, catalog/). That home has no
 * sources, so the launcher never rebuilds the jar under a measurement.
 */
final class Launcher {
    /** How long the launcher's background job may take to make the class-data archive. */
    private static final long ARCHIVE_WAIT_MILLIS = 180_000;

    record Timed(long nanos, int exit, String output) {
    }

    private final Path home;

    Launcher(Path repo) {
        String h = System.getProperty("bench.home");
        this.home = h != null && !h.isBlank() ? Path.of(h) : repo;
    }

    Path home() {
        return home;
    }

    /** {@code bin/medic ARGS...} */
    List<String> medic(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/medic").toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs medic once and waits until its background job has put the class-data archive beside
     * the jar, so that no measurement pays for (or runs beside) making it. Returns how long that took
     * and how big the archive is, or why there is none.
     */
    String prepareArchive() throws IOException, InterruptedException {
        long start = System.nanoTime();
        checked(medic("--version"), Map.of(), 0);
        long deadline = System.currentTimeMillis() + ARCHIVE_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Optional<Path> jsa = archive();
            if (jsa.isPresent()) {
                return String.format(java.util.Locale.ROOT, "made in %.1f s after the first run, %.0f MB",
                        (System.nanoTime() - start) / 1e9, Files.size(jsa.get()) / 1e6);
            }
            Thread.sleep(200);
        }
        return "none after " + ARCHIVE_WAIT_MILLIS / 1000 + " s (MEDIC_CDS=off, or making it failed)";
    }

    private Optional<Path> archive() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("medic-[0-9]+\\.jsa")).findFirst();
        }
    }

    /** Runs a command from {@code dir} and times it whole, start to exit, its output collected. */
    static Timed time(List<String> command, Path dir, Map<String, String> extraEnv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        long start = System.nanoTime();
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        int exit = p.waitFor();
        long took = System.nanoTime() - start;
        return new Timed(took, exit, new String(out, StandardCharsets.UTF_8));
    }

    Timed time(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        return time(command, home, extraEnv);
    }

    /** {@link #time}, and an exit status above {@code maxExit} is an error (grep -c exits 1 when it counts nothing). */
    Timed checked(List<String> command, Map<String, String> extraEnv, int maxExit) throws IOException, InterruptedException {
        Timed t = time(command, extraEnv);
        if (t.exit() > maxExit) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " ... exited "
                    + t.exit() + ":\n" + t.output());
        }
        return t;
    }
}
