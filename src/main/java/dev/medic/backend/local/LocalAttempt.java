package dev.medic.backend.local;

import dev.medic.backend.ExitStatus;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunningAttempt;
import dev.medic.memory.OomWatch;
import dev.medic.util.Signals;
import dev.medic.util.Supervisors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A local attempt. The child writes its output to the files of its {@link Spool} and the launcher
 * records its exit status there, so the child neither blocks on medic nor dies with it; medic
 * follows the files. The end is announced once the output written up to the main process's exit
 * has been read; reading stops when no process of the attempt is left and the files are read to
 * their end. A supervisor that died leaves the attempt to be taken up again ({@link #adopt}).
 * An {@link OomWatch} looks for out-of-memory kills of the attempt's processes while it runs; a
 * taken-up attempt has none (its start went unwatched), so its end says no records were sought.
 */
final class LocalAttempt implements RunningAttempt {
    private static final int BUFFER = 64 * 1024;
    /**
     * How long the follower waits when it has read everything (the child writes at its own pace):
     * a line reaches the rules at most this late; the main process's exit wakes it at once.
     */
    private static final long POLL_NANOS = 5_000_000L;
    /** How often, once the main process has exited, the follower looks whether any process of the attempt is left. */
    private static final long MEMBERS_EVERY_NANOS = 100_000_000L;
    /** At most this much of one stream is read before the other gets its turn. */
    private static final long ROUND_BYTES = 1L << 20;
    /** How much saved output the follower lets pile up in the spool before freeing it. */
    private static final long RECLAIM_EVERY = 16L << 20;

    private final long pid;
    /** The launcher while it runs; null for a taken-up attempt that had ended. */
    private final ProcessHandle main;
    /** The main process when it is this medic's child, else null (taken up from a supervisor that died). */
    private final Process child;
    private final ProcessGroup group;
    private final Spool spool;
    private final String marker;
    /** Null for a taken-up attempt. */
    private final OomWatch watch;
    private ExitStatus status;
    private final CountDownLatch streamsOpen = new CountDownLatch(2);
    /** Counted down (for both streams) once the follower has read what was written before the main process exited. */
    private final CountDownLatch caughtUp = new CountDownLatch(2);
    private volatile boolean mainEnded;
    private volatile boolean announced;
    private volatile boolean abandoned;
    private volatile Thread follower;

    private LocalAttempt(long pid, ProcessHandle main, Process child, String marker, Spool spool, OomWatch watch) {
        this.pid = pid;
        this.watch = watch;
        this.main = main;
        this.child = child;
        // the launcher leads the attempt's process group (setsid); a pid read back from a journal names
        // the group only while that process is there carrying the marker, else the marker alone finds the attempt
        this.group = new ProcessGroup(main == null ? -1 : pid, marker);
        this.spool = spool;
        this.marker = marker;
    }

    /** Starts {@code pb} (the launcher) with its output appended to the spool's files, followed into {@code sink}. */
    static LocalAttempt start(ProcessBuilder pb, String marker, Spool spool, OutputSink sink) throws IOException {
        return start(pb, marker, spool, sink, OomWatch.Baseline.take());
    }

    /** {@code baseline} was taken before this call (the kernel log's position must precede the child). */
    static LocalAttempt start(ProcessBuilder pb, String marker, Spool spool, OutputSink sink, OomWatch.Baseline baseline)
            throws IOException {
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spool.stream(OutputSink.STDOUT).toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(spool.stream(OutputSink.STDERR).toFile()));
        OomWatch watch = new OomWatch(spool.childPidFile(), baseline);
        Process p = pb.start();
        watch.start(p.pid());
        LocalAttempt a = new LocalAttempt(p.pid(), p.toHandle(), p, marker, spool, watch);
        a.begin(0, 0, sink);
        return a;
    }

    /**
     * Takes up an attempt whose supervisor died: its launcher {@code pid} while that process still
     * carries {@code marker}, else its recorded end (unknown when the launcher was killed too).
     */
    static LocalAttempt adopt(long pid, String marker, Spool spool, long stdoutFrom, long stderrFrom, OutputSink sink) {
        ProcessHandle main = ProcessHandle.of(pid).filter(h -> h.isAlive() && ProcessGroup.carries(pid, marker)).orElse(null);
        LocalAttempt a = new LocalAttempt(pid, main, null, marker, spool, null);
        a.begin(stdoutFrom, stderrFrom, sink);
        return a;
    }

    private void begin(long stdoutFrom, long stderrFrom, OutputSink sink) {
        Thread f = new Thread(() -> follow(stdoutFrom, stderrFrom, sink), "medic-output");
        f.setDaemon(true);
        follower = f;
        f.start();
        Thread watcher = new Thread(() -> {
            if (child != null) {
                child.onExit().join();
            } else if (main != null) {
                // not this medic's child: a zombie that no one reaps (a container's init that does not) has ended too
                while (main.isAlive() && !Supervisors.hasExited(pid)) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            mainEnded = true;
            // the follower reads the last output now rather than after its next wait
            LockSupport.unpark(follower);
            try {
                caughtUp.await();
            } catch (InterruptedException e) {
                return;
            }
            announced = true;
            sink.exited();
        }, "medic-exit");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** One stream's file and how far it has been read. */
    private final class Followed {
        final String stream;
        final FileChannel channel;
        long offset;
        long reclaimed;

        Followed(String stream, long from) throws IOException {
            this.stream = stream;
            this.channel = FileChannel.open(spool.stream(stream), StandardOpenOption.READ);
            this.offset = from;
        }

        /** Delivers up to {@code max} bytes of what is there; the number delivered. */
        long deliver(ByteBuffer buf, long max, OutputSink sink) throws IOException, InterruptedException {
            long done = 0;
            while (done < max && !abandoned) {
                buf.clear();
                int n = channel.read(buf, offset);
                if (n <= 0) {
                    break;
                }
                sink.bytes(stream, buf.array(), 0, n);
                offset += n;
                done += n;
            }
            long saved = sink.savedBytes(stream);
            if (saved - reclaimed >= RECLAIM_EVERY) {
                spool.reclaim(stream, saved);
                reclaimed = saved;
            }
            return done;
        }
    }

    /**
     * Both streams on one thread, stdout's new bytes before stderr's in each round: the files
     * keep no order between them, and a program that writes a line to stdout and then one to
     * stderr is read in that order when both arrive in one round.
     */
    private void follow(long stdoutFrom, long stderrFrom, OutputSink sink) {
        Followed out = null;
        Followed err = null;
        try {
            out = new Followed(OutputSink.STDOUT, stdoutFrom);
            err = new Followed(OutputSink.STDERR, stderrFrom);
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            long membersCheckedAt = System.nanoTime() - MEMBERS_EVERY_NANOS;
            boolean ending = false;
            while (!abandoned) {
                // seen before reading: a round that then finds nothing has everything written before the exit
                boolean ended = mainEnded;
                long read = out.deliver(buf, ROUND_BYTES, sink) + err.deliver(buf, ROUND_BYTES, sink);
                if (read > 0) {
                    continue;
                }
                if (ending) {
                    break;
                }
                if (ended) {
                    caughtUp.countDown();
                    caughtUp.countDown();
                    if (System.nanoTime() - membersCheckedAt >= MEMBERS_EVERY_NANOS) {
                        membersCheckedAt = System.nanoTime();
                        // nothing of the attempt is left to write: one more round reads what the last ones wrote
                        ending = group.members().isEmpty();
                        continue;
                    }
                }
                LockSupport.parkNanos(POLL_NANOS);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the spool is gone or medic stopped following: what was read is delivered
        } finally {
            caughtUp.countDown();
            caughtUp.countDown();
            for (Followed f : new Followed[] {out, err}) {
                if (f != null) {
                    try {
                        f.channel.close();
                    } catch (IOException e) {
                        // read-only: nothing lost
                    }
                }
            }
            if (!abandoned) {
                sink.closed(OutputSink.STDOUT);
                sink.closed(OutputSink.STDERR);
            }
            streamsOpen.countDown();
            streamsOpen.countDown();
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public synchronized ExitStatus exitStatus() {
        if (!announced) {
            return null;
        }
        if (status == null) {
            Integer code = spool.exitCode();
            if (code == null && child != null) {
                // the launcher itself was killed: its own status is all there is (Java reports signal N as 128+N)
                code = child.exitValue();
            }
            List<String> records = watch == null ? List.of() : watch.finish(code == null || code != 0);
            status = new ExitStatus(code, code == null ? null : Signals.fromExitStatus(code), false, false, false, null,
                    records, watch != null);
        }
        return status;
    }

    @Override
    public boolean awaitOutput(Duration timeout) throws InterruptedException {
        return streamsOpen.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(Duration grace) throws InterruptedException {
        group.terminate(grace.toMillis());
        if (child != null) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
            child.waitFor(5, TimeUnit.SECONDS);
        } else if (main != null && main.isAlive()) {
            main.destroyForcibly();
            main.onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public void abandonOutput() {
        // a process outside the attempt's reach keeps writing: stop delivering and move on
        abandoned = true;
        streamsOpen.countDown();
        streamsOpen.countDown();
        caughtUp.countDown();
        caughtUp.countDown();
    }

    @Override
    public Map<String, Object> adoptionFields() {
        return Map.of("marker", marker, "spool", spool.dir().toString());
    }

    @Override
    public void journaled() {
        if (watch != null) {
            watch.finish(false);
        }
        spool.delete();
    }
}
