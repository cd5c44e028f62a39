package dev.medic.backend.local;

import dev.medic.backend.CommandResult;
import dev.medic.util.Durations;
import dev.medic.util.PrivateFolder;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A one-off local command: argv list, its own environment, output appended to a file, and
 * everything it started stopped at the time limit. The output comes through a pipe and is
 * written by medic, so the file is opened without following a link (it may sit in a run folder
 * the training process can see).
 */
public final class LocalCommand {
    private static final int TAIL_LINES = 20;

    /** How long output still coming after the command ended (from a process it left behind) is waited for. */
    private static final long COPY_WAIT_MILLIS = 5_000;

    private LocalCommand() {
    }

    /** Copies the command's output to the file until the pipe closes, on a thread of its own; closes the file. */
    private static Thread copy(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            try (to; from) {
                from.transferTo(to);
            } catch (IOException e) {
                // the file holds what could be written; the result says how the command ended
            }
        }, "medic-command-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static CommandResult run(List<String> argv, Map<String, String> env, Path workdir, Duration timeout, Path log)
            throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workdir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        Thread copier;
        try {
            OutputStream out = Channels.newOutputStream(FileChannel.open(log, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PrivateFolder.FILE_MODE)));
            try {
                p = pb.start();
            } catch (IOException e) {
                out.close();
                throw e;
            }
            copier = copy(p.getInputStream(), out);
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
            copier.join(COPY_WAIT_MILLIS);
            return new CommandResult(false, "timed out after " + Durations.format(timeout), CommandResult.tailOf(log, TAIL_LINES));
        }
        int code = p.exitValue();
        copier.join(COPY_WAIT_MILLIS);
        return new CommandResult(code == 0, "exit code " + code, CommandResult.tailOf(log, TAIL_LINES));
    }
}
