package dev.medic.backend.local;

import dev.medic.backend.ExitStatus;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunningAttempt;
import dev.medic.util.Signals;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A running local child: two reader threads deliver its output; its process group is stopped as one. */
final class LocalAttempt implements RunningAttempt {
    private static final int BUFFER = 64 * 1024;

    private final Process process;
    private final ProcessGroup group;
    private final CountDownLatch streamsOpen = new CountDownLatch(2);
    private final Thread stdout;
    private final Thread stderr;

    LocalAttempt(Process process, OutputSink sink) {
        this.process = process;
        this.group = new ProcessGroup(process.pid());
        this.stdout = pump(process.getInputStream(), OutputSink.STDOUT, sink);
        this.stderr = pump(process.getErrorStream(), OutputSink.STDERR, sink);
        process.onExit().thenRun(sink::exited);
    }

    private Thread pump(InputStream in, String stream, OutputSink sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[BUFFER];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (n > 0) {
                        sink.bytes(stream, buf, 0, n);
                    }
                    if (process.isAlive()) {
                        group.noteDescendants();
                    }
                }
            } catch (IOException e) {
                // the stream was closed under us (abandonOutput): what was read is delivered
            } finally {
                sink.closed(stream);
                streamsOpen.countDown();
            }
        }, "medic-" + stream + "-" + process.pid());
        t.setDaemon(true);
        t.start();
        return t;
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
        return streamsOpen.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            group.noteDescendants();
        }
        group.terminate(grace.toMillis());
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void abandonOutput() {
        // closing our ends makes the readers finish; bytes already read were delivered
        try {
            process.getInputStream().close();
        } catch (IOException ignored) {
            // nothing more to save
        }
        try {
            process.getErrorStream().close();
        } catch (IOException ignored) {
            // nothing more to save
        }
        stdout.interrupt();
        stderr.interrupt();
    }
}
