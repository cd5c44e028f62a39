package dev.medic.cli;

import dev.medic.Fixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Medic as a separate process (the same classes the tests run), for exit codes and signals. */
final class MedicProcess {
    final Process process;
    final Path stdout;
    final Path stderr;

    private MedicProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static MedicProcess start(Path workdir, Map<String, String> env, String... args) throws IOException {
        return start(workdir, env, List.of(), args);
    }

    /** As {@link #start(Path, Map, String...)}, with more JVM options (a small heap). */
    static MedicProcess start(Path workdir, Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = command(args);
        cmd.addAll(1, jvmOptions);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(workdir, "medic-out", ".txt");
        Path err = Files.createTempFile(workdir, "medic-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new MedicProcess(pb.start(), out, err);
    }

    /** The argv that runs medic with {@code args} on the test's classes. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Dmedic.home=" + Fixtures.projectDir());
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs to the end (at most two minutes) and returns the exit code. */
    int waitFor() throws Exception {
        return waitFor(120);
    }

    /** Runs to the end (at most {@code seconds}) and returns the exit code. */
    int waitFor(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("medic did not finish; stderr: " + err());
        }
        return process.exitValue();
    }

    String out() throws IOException {
        return Files.readString(stdout);
    }

    String err() throws IOException {
        return Files.readString(stderr);
    }
}
