package dev.medic.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.medic.backend.ExitStatus;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunningAttempt;
import dev.medic.util.Signals;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An attempt running in a container: its log stream (followed, stdout and stderr demultiplexed)
 * goes to the sink frame by frame; its end state (exit code, OOMKilled) comes from the engine.
 */
final class DockerAttempt implements RunningAttempt {
    private final DockerClient docker;
    private final String id;
    private final boolean keep;
    private final CountDownLatch logsDone = new CountDownLatch(1);
    private final ResultCallback.Adapter<Frame> logs;
    private volatile ExitStatus status;

    DockerAttempt(DockerClient docker, String id, boolean keep, OutputSink sink) {
        this.docker = docker;
        this.id = id;
        this.keep = keep;
        this.logs = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame f) {
                byte[] p = f.getPayload();
                if (p != null && p.length > 0) {
                    sink.bytes(f.getStreamType() == StreamType.STDERR ? OutputSink.STDERR : OutputSink.STDOUT, p, 0, p.length);
                }
            }

            @Override
            public void onError(Throwable t) {
                finishLogs();
            }

            @Override
            public void onComplete() {
                finishLogs();
            }

            private void finishLogs() {
                if (logsDone.getCount() > 0) {
                    sink.closed(OutputSink.STDOUT);
                    sink.closed(OutputSink.STDERR);
                    logsDone.countDown();
                }
            }
        };
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(logs);
        Thread waiter = new Thread(() -> {
            try {
                docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode();
            } catch (RuntimeException e) {
                // the container is gone: its state is read below all the same
            }
            status = readStatus();
            sink.exited();
        }, "medic-docker-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    String containerId() {
        return id;
    }

    private ExitStatus readStatus() {
        try {
            InspectContainerResponse.ContainerState s = docker.inspectContainerCmd(id).exec().getState();
            Long code = s.getExitCodeLong();
            Integer exit = code == null ? null : code.intValue();
            boolean oom = Boolean.TRUE.equals(s.getOOMKilled());
            ExitStatus status = new ExitStatus(exit, exit == null ? null : Signals.fromExitStatus(exit), oom);
            return oom ? status.withOomRecord("Docker reported OOMKilled") : status;
        } catch (RuntimeException e) {
            return new ExitStatus(null, null, false);
        }
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public String handle() {
        return "container " + id.substring(0, Math.min(12, id.length()));
    }

    @Override
    public ExitStatus exitStatus() {
        return status;
    }

    @Override
    public boolean awaitOutput(Duration timeout) throws InterruptedException {
        return logsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(Duration grace) {
        if (status != null) {
            return;
        }
        try {
            // the engine sends TERM, then KILL after the grace period
            docker.stopContainerCmd(id).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
        } catch (RuntimeException e) {
            // already stopped or gone
        }
    }

    @Override
    public void abandonOutput() {
        try {
            logs.close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }

    @Override
    public void release() {
        if (keep) {
            return;
        }
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (RuntimeException e) {
            // already removed
        }
    }
}
