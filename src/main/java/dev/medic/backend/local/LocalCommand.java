package dev.medic.backend.local;

import dev.medic.backend.CommandResult;
import dev.medic.util.Durations;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A one-off local command: argv list, its own environment, output to a file, and everything it started stopped at the time limit. */
public final class LocalCommand {
    private static final int TAIL_LINES = 20;

    private LocalCommand() {
    }

    public static CommandResult run(List<String> argv, Map<String, String> env, Path workdir, Duration timeout, Path log)
            throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workdir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new CommandResult(false, "cannot start " + argv.get(0) + ": " + e.getMessage(), List.of());
        }
        List<ProcessHandle> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean done = false;
        while (!done && System.nanoTime() < deadline) {
            p.descendants().forEach(seen::add);
            done = p.waitFor(200, TimeUnit.MILLISECONDS);
        }
        if (!done) {
            p.descendants().forEach(seen::add);
            seen.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return new CommandResult(false, "timed out after " + Durations.format(timeout), CommandResult.tailOf(log, TAIL_LINES));
        }
        int code = p.exitValue();
        return new CommandResult(code == 0, "exit code " + code, CommandResult.tailOf(log, TAIL_LINES));
    }
}
