package dev.medic.backend.slurm;

import dev.medic.util.Executables;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs the Slurm client commands (argv lists, with a time limit), with the environment a job should inherit. */
final class Slurm {
    record Result(int exitCode, String out) {
    }

    private Slurm() {
    }

    static Result run(Map<String, String> env, long timeoutSeconds, List<String> cmd) {
        List<String> argv = new ArrayList<>(cmd);
        argv.set(0, Executables.find(cmd.get(0), env));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            // read on the side, so that a client stuck on an unanswering controller still meets its time limit
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(-1, cmd.get(0) + " did not answer within " + timeoutSeconds + " s");
            }
            byte[] bytes;
            try {
                bytes = out.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                bytes = new byte[0];
            }
            return new Result(p.exitValue(), new String(bytes, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Result(-1, cmd.get(0) + " not found");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
