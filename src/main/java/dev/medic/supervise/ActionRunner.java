package dev.medic.supervise;

import dev.medic.fix.FixAction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Carries out a fix's actions between attempts: a command (its output saved in the run folder,
 * stopped with everything it started at its time limit) or a file written into the run folder.
 */
final class ActionRunner {
    /** How an action went: ok, a one-line result, and the last lines of its output. */
    record Result(boolean ok, String summary, List<String> tail, Path log) {
    }

    private static final int TAIL_LINES = 20;

    Result run(FixAction action, Path log) throws InterruptedException {
        if (action instanceof FixAction.WriteFile w) {
            try {
                Files.createDirectories(w.path().getParent());
                Files.write(w.path(), w.content());
                return new Result(true, "wrote " + w.path(), List.of(), null);
            } catch (IOException e) {
                return new Result(false, "cannot write " + w.path() + ": " + e.getMessage(), List.of(), null);
            }
        }
        FixAction.RunCommand c = (FixAction.RunCommand) action;
        ProcessBuilder pb = new ProcessBuilder(c.argv()).directory(c.workdir().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(c.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(false, "cannot start " + c.argv().get(0) + ": " + e.getMessage(), List.of(), log);
        }
        List<ProcessHandle> seen = new ArrayList<>();
        long deadline = System.nanoTime() + c.timeout().toNanos();
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
            return new Result(false, "timed out after " + dev.medic.util.Durations.format(c.timeout()), tail(log), log);
        }
        int code = p.exitValue();
        return new Result(code == 0, "exit code " + code, tail(log), log);
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return List.copyOf(lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
