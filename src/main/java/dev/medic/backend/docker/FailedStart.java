package dev.medic.backend.docker;

import dev.medic.backend.ExitStatus;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunningAttempt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An attempt the engine refused to start for a reason the rules can act on (GPUs requested where
 * no GPU runtime exists): the engine's message becomes the attempt's stderr and it exits 125, as
 * {@code docker run} does, so detection and the ladder handle it like any other failure.
 */
final class FailedStart implements RunningAttempt {
    private final ExitStatus status = new ExitStatus(125, null, false);

    FailedStart(String message, OutputSink sink) {
        byte[] line = ("docker: Error response from daemon: " + message + "\n").getBytes(StandardCharsets.UTF_8);
        sink.bytes(OutputSink.STDERR, line, 0, line.length);
        sink.closed(OutputSink.STDOUT);
        sink.closed(OutputSink.STDERR);
        sink.exited();
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public ExitStatus exitStatus() {
        return status;
    }

    @Override
    public boolean awaitOutput(Duration timeout) {
        return true;
    }

    @Override
    public void stop(Duration grace) {
    }

    @Override
    public void abandonOutput() {
    }
}
