package dev.medic.supervise;

import dev.medic.backend.AttemptTag;
import dev.medic.backend.CommandResult;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.backend.local.LocalBackend;
import dev.medic.facts.RunSpec;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Time a job spends waiting in a scheduler's queue is not a stall and not attempt time. */
class QueuedAttemptTest {
    @TempDir
    Path tmp;

    /** Local processes that report themselves queued for their first {@code queuedMillis}. */
    private record QueueingBackend(long queuedMillis, LocalBackend local) implements RunBackend {
        @Override
        public String name() {
            return "queueing";
        }

        @Override
        public RunningAttempt start(RunSpec spec, AttemptTag tag, OutputSink sink) {
            long since = System.nanoTime();
            return new ForwardingAttempt(local.start(spec, tag, sink)) {
                @Override
                public boolean started() {
                    return (System.nanoTime() - since) / 1_000_000 >= queuedMillis;
                }
            };
        }

        @Override
        public CommandResult runCommand(RunSpec like, List<String> argv, Map<String, String> env, Duration timeout, Path log)
                throws InterruptedException {
            return local.runCommand(like, argv, env, timeout, log);
        }
    }

    @Test
    void theStallClockStartsWhenTheJobStarts() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        h.startupGrace = Duration.ZERO;
        h.stallTimeout = Duration.ofSeconds(2);
        h.backend = new QueueingBackend(3000, new LocalBackend());
        // silent for 3.5 s: longer than the stall limit counted from submission, shorter counted from the start
        Path s = h.script("train.py", "import time\ntime.sleep(3.5)\nprint('done', flush=True)\n");
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals(0, Harness.events(r, "attempt_stopping").size());
    }
}
