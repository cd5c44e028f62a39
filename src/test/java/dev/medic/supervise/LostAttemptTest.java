package dev.medic.supervise;

import dev.medic.backend.AttemptTag;
import dev.medic.backend.CommandResult;
import dev.medic.backend.ExitStatus;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A preempted job or a failed node is the scheduler's doing: the same command again, for free. */
class LostAttemptTest {
    @TempDir
    Path tmp;

    /** Runs attempts as local processes, but reports the first {@code lost} of them as preempted. */
    private static final class PreemptingBackend implements RunBackend {
        private final LocalBackend local = new LocalBackend();
        private final int lost;

        PreemptingBackend(int lost) {
            this.lost = lost;
        }

        @Override
        public String name() {
            return "preempting";
        }

        @Override
        public RunningAttempt start(RunSpec spec, AttemptTag tag, OutputSink sink) {
            RunningAttempt real = local.start(spec, tag, sink);
            if (tag.attempt() > lost) {
                return real;
            }
            return new ForwardingAttempt(real) {
                @Override
                public ExitStatus exitStatus() {
                    return real.exitStatus() == null ? null : new ExitStatus(null, "TERM", false, false, true, "PREEMPTED");
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
    void preemptedAttemptsAreRunAgainUnchangedWithoutSpendingTheBudget() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        h.backend = new PreemptingBackend(2);
        Path s = h.script("train.py", "print('epoch 1 done', flush=True)\n");
        RunResult r = h.run("python3", s.toString(), "--batch-size", "64");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals(3, r.attempts());
        assertEquals(2, Harness.events(r, "requeued").size());
        assertEquals("PREEMPTED", Harness.events(r, "requeued").get(0).path("state").asText());
        assertTrue(Harness.events(r, "decision").isEmpty(), "a lost attempt is not judged, so no fix is chosen");
        for (var start : Harness.events(r, "attempt_started")) {
            assertEquals("[\"python3\",\"" + s + "\",\"--batch-size\",\"64\"]", start.path("argv").toString());
        }
    }

    @Test
    void aSchedulerThatKeepsLosingTheJobEscalates() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        h.backend = new PreemptingBackend(Integer.MAX_VALUE);
        Path s = h.script("train.py", "print('epoch 1 done', flush=True)\n");
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.ESCALATED, r.status());
        assertEquals(4, r.attempts(), "three free requeues for a one-attempt budget, then a person is told");
        assertEquals(1, h.escalations.size());
        assertTrue(h.escalations.get(0).toString().contains("PREEMPTED"), h.escalations.get(0).toString());
    }
}
