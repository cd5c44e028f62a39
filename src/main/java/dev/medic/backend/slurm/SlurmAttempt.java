package dev.medic.backend.slurm;

import dev.medic.backend.ExitStatus;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunningAttempt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A submitted job: a poller reads its state from {@code scontrol} and two followers read its
 * output files as they grow. Once the job has ended, the followers read what is left and close.
 */
final class SlurmAttempt implements RunningAttempt {
    private static final long POLL_MILLIS = 300;

    private final String jobId;
    private final List<String> cluster;
    private final Map<String, String> env;
    private final CountDownLatch streamsOpen = new CountDownLatch(2);
    private volatile ExitStatus status;
    private volatile boolean abandoned;
    private volatile String lastState = "PENDING";
    private volatile boolean started;

    /** {@code cluster}: the cluster sbatch named after the id ({@code 123;gpu}), or null for the local one. */
    SlurmAttempt(String jobId, String cluster, Path out, Path err, Map<String, String> env, OutputSink sink) {
        this.jobId = jobId;
        this.cluster = cluster == null ? List.of() : List.of("--clusters=" + cluster);
        this.env = env;
        follow(out, OutputSink.STDOUT, sink);
        follow(err, OutputSink.STDERR, sink);
        Thread poller = new Thread(() -> poll(sink), "medic-slurm-" + jobId);
        poller.setDaemon(true);
        poller.start();
    }

    private void poll(OutputSink sink) {
        while (status == null) {
            Slurm.Result r = Slurm.run(env, 30, command("scontrol", "show", "job", "-o", jobId));
            if (r.exitCode() == 0) {
                JobState s = JobState.parse(r.out());
                lastState = s.state();
                started |= !s.state().equals("PENDING") && !s.state().equals("CONFIGURING") && !s.state().equals("REQUEUED");
                if (s.ended()) {
                    status = s.toExitStatus();
                    break;
                }
            } else if (r.out().contains("Invalid job id")) {
                // purged from the controller: accounting may still know its end, else the last state seen is all there is
                JobState s = fromAccounting();
                status = s != null && s.ended() ? s.toExitStatus() : new ExitStatus(null, null, false, false, false, lastState);
                break;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        // let the followers read what the job wrote last before the end is announced
        try {
            streamsOpen.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        sink.exited();
    }

    /** A Slurm client command, aimed at the job's cluster. */
    private List<String> command(String program, String... args) {
        List<String> c = new java.util.ArrayList<>();
        c.add(program);
        c.addAll(cluster);
        c.addAll(List.of(args));
        return c;
    }

    private JobState fromAccounting() {
        Slurm.Result r = Slurm.run(env, 30, command("sacct", "--noheader", "--parsable2", "--allocations",
                "--format=State,ExitCode", "--jobs=" + jobId));
        return r.exitCode() == 0 ? JobState.fromSacct(r.out()) : null;
    }

    private void follow(Path file, String stream, OutputSink sink) {
        Thread t = new Thread(() -> {
            long offset = 0;
            byte[] buf = new byte[64 * 1024];
            long missingSince = 0;
            try {
                while (!abandoned) {
                    boolean ended = status != null;
                    if (ended && !Files.exists(file) && missingSince == 0) {
                        // a shared file system may show the node's file late: give it a moment
                        missingSince = System.nanoTime();
                    }
                    if (ended && !Files.exists(file) && System.nanoTime() - missingSince < 5_000_000_000L) {
                        Thread.sleep(200);
                        continue;
                    }
                    if (Files.exists(file)) {
                        // never through a link: the job can see its run folder, and what a link points at must not reach the log
                        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                            if (f.size() < offset) {
                                // rewritten from the start (a job the scheduler restarted): follow the new text
                                offset = 0;
                            }
                            f.position(offset);
                            int n;
                            while ((n = f.read(ByteBuffer.wrap(buf))) > 0) {
                                sink.bytes(stream, buf, 0, n);
                                offset += n;
                            }
                        }
                    }
                    if (ended) {
                        break;
                    }
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // the file is gone or medic stopped following: what was read is delivered
            } finally {
                sink.closed(stream);
                streamsOpen.countDown();
            }
        }, "medic-slurm-" + stream);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public String handle() {
        return "job " + jobId;
    }

    @Override
    public boolean started() {
        return started || status != null;
    }

    @Override
    public ExitStatus exitStatus() {
        return status;
    }

    @Override
    public boolean awaitOutput(Duration timeout) throws InterruptedException {
        return streamsOpen.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** scancel: Slurm sends TERM, then KILL after the cluster's KillWait. Waits for the job to end. */
    @Override
    public void stop(Duration grace) throws InterruptedException {
        if (status != null) {
            return;
        }
        Slurm.run(env, 30, command("scancel", jobId));
        long deadline = System.nanoTime() + grace.plusSeconds(30).toNanos();
        while (status == null && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
        if (status == null) {
            // the controller does not answer: medic must still be able to stop, so the end is unknown
            status = new ExitStatus(null, "TERM", false, false, false, "UNKNOWN");
        }
    }

    @Override
    public void abandonOutput() {
        abandoned = true;
    }
}
