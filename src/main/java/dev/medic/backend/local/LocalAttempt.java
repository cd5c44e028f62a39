package dev.medic.backend.local;

import dev.medic.backend.ExitStatus;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunningAttempt;
import dev.medic.util.Signals;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running local child. Its stdout and stderr are named pipes medic reads itself: Java's own
 * process pipes are drained and closed when the main process exits, which would lose what its
 * children still write. Reading stops when every writer has closed the pipe.
 */
final class LocalAttempt implements RunningAttempt {
    private static final int BUFFER = 64 * 1024;

    private final Process process;
    private final ProcessGroup group;
    private final Path fifoDir;
    private final CountDownLatch streamsOpen = new CountDownLatch(2);
    private volatile boolean abandoned;

    private LocalAttempt(Process process, ProcessGroup group, Path fifoDir) {
        this.process = process;
        this.group = group;
        this.fifoDir = fifoDir;
    }

    /** Starts {@code pb} with its output on two fresh named pipes read into {@code sink}. */
    static LocalAttempt start(ProcessBuilder pb, String marker, OutputSink sink) throws IOException {
        Path dir = Files.createTempDirectory("medic-attempt-");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        mkfifo(out, err);
        LocalAttempt[] self = new LocalAttempt[1];
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(2);
        Thread[] readers = {
                reader(out, OutputSink.STDOUT, sink, self, started, open),
                reader(err, OutputSink.STDERR, sink, self, started, open)};
        Process p;
        try {
            // opening the pipes for the child blocks until the readers have them open: they already wait
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            release(out);
            release(err);
            deleteQuietly(dir);
            throw e;
        }
        LocalAttempt a = new LocalAttempt(p, new ProcessGroup(p.pid(), marker), dir);
        self[0] = a;
        started.countDown();
        p.onExit().thenRun(sink::exited);
        return a;
    }

    private static Thread reader(Path fifo, String stream, OutputSink sink, LocalAttempt[] self, CountDownLatch started,
                                 CountDownLatch open) {
        Thread t = new Thread(() -> {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                open.countDown();
                started.await();
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (n > 0 && !self[0].abandoned) {
                        sink.bytes(stream, buf, 0, n);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the pipe is gone or medic gave up on it: what was read is delivered
            } finally {
                LocalAttempt a = self[0];
                if (a != null) {
                    if (!a.abandoned) {
                        sink.closed(stream);
                    }
                    a.streamsOpen.countDown();
                }
            }
        }, "medic-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void mkfifo(Path... paths) throws IOException {
        String[] cmd = new String[paths.length + 2];
        cmd[0] = "mkfifo";
        cmd[1] = "-m600";
        for (int i = 0; i < paths.length; i++) {
            cmd[i + 2] = paths[i].toString();
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mkfifo failed: " + new String(p.getInputStream().readAllBytes()).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the output pipes");
        }
    }

    /** Opens and closes a pipe for writing, so a reader still waiting to open it sees end of file. */
    private static void release(Path fifo) {
        try (FileOutputStream ignored = new FileOutputStream(fifo.toFile())) {
            // opening is the point
        } catch (IOException ignored) {
            // no reader left
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("stdout"));
            Files.deleteIfExists(dir.resolve("stderr"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public ExitStatus exitStatus() {
        if (process.isAlive()) {
            return null;
        }
        int code = process.exitValue();
        // Java reports a death by signal N as 128+N, as shells do
        return new ExitStatus(code, Signals.fromExitStatus(code), false);
    }

    @Override
    public boolean awaitOutput(Duration timeout) throws InterruptedException {
        boolean done = streamsOpen.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (done) {
            deleteQuietly(fifoDir);
        }
        return done;
    }

    @Override
    public void stop(Duration grace) throws InterruptedException {
        group.terminate(grace.toMillis());
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void abandonOutput() {
        // a process outside the attempt's reach still holds the pipes: stop delivering and move on
        abandoned = true;
        streamsOpen.countDown();
        streamsOpen.countDown();
        deleteQuietly(fifoDir);
    }
}
