package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress read from the output: journaled, kept as the last step before a failure, and a stall when it stops. */
class ProgressSupervisionTest {
    @TempDir
    Path tmp;

    @Test
    void theLastStepBeforeAFailureIsJournaledAndTheResumeSaysHowMuchWorkTheCheckpointKeeps() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 2;
        Path ckpts = Files.createDirectories(tmp.resolve("out"));
        h.checkpointDirs = List.of(ckpts.toString());
        Path s = h.script("train.py", """
                import os, sys
                resumed = '--resume_from_checkpoint' in sys.argv
                bs = int(sys.argv[sys.argv.index('--per_device_train_batch_size') + 1])
                for step in range(1, 58):
                    print({'loss': round(2.0 / step, 4), 'learning_rate': 3e-05, 'epoch': round(step / 100, 2)}, flush=True)
                    print(f'step {step}/100 loss {2.0 / step:.4f}', flush=True)
                    if step == 40:
                        os.makedirs(sys.argv[1] + '/checkpoint-40', exist_ok=True)
                    if bs > 16:
                        continue
                    if step == 3:
                        break
                if bs > 16:
                    print('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB', file=sys.stderr, flush=True)
                    sys.exit(1)
                print('done resumed=%s' % resumed, flush=True)
                """);
        RunResult r = h.run("python3", s.toString(), ckpts.toString(), "--per_device_train_batch_size", "32");
        assertEquals(RunStatus.SUCCEEDED, r.status());
        JsonNode first = Harness.events(r, "progress").get(0);
        assertEquals(1, first.path("attempt").asInt());
        long step = first.path("step").asLong();
        assertTrue(step >= 1 && step <= 57, first.toString());
        assertTrue(first.path("loss").asDouble() > 0, first.toString());
        JsonNode finished = Harness.events(r, "attempt_finished").get(0);
        assertEquals(57, finished.path("last_progress").path("step").asLong(), finished.toString());
        assertEquals(100, finished.path("last_progress").path("total_steps").asLong(), finished.toString());
        JsonNode fix = Harness.events(r, "fix_applied").get(0);
        assertTrue(fix.path("changes").toString().contains(
                "work saved: the checkpoint is at step 40 of the 57 the failed attempt reached (40 steps kept, 17 to redo)"), fix.toString());
        assertTrue(Files.readString(r.runDir().resolve("attempt-2.log")).contains("done resumed=True"));
    }

    @Test
    void outputWithoutProgressIsAStallOncePassedTheProgressTimeout() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        h.options(o -> o.withProgressTimeout(Duration.ofSeconds(1)));
        Path s = h.script("hang.py", """
                import time
                for step in range(1, 11):
                    print(f'step {step} loss 0.5', flush=True)
                while True:
                    print('UserWarning: the data loader worker is slow', flush=True)
                    time.sleep(0.05)
                """);
        long t0 = System.nanoTime();
        RunResult r = h.run("python3", s.toString());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "stopped, not left running");
        JsonNode stopping = Harness.events(r, "attempt_stopping").get(0);
        assertEquals("no progress for 1s (last: step 10, loss 0.5)", stopping.path("reason").asText());
        JsonNode finished = Harness.events(r, "attempt_finished").get(0);
        assertTrue(finished.path("stalled").asBoolean(), finished.toString());
        assertEquals("stall", Harness.events(r, "failure").get(0).path("failure").asText());
    }

    @Test
    void aStepLinePrintedJustAfterAnotherProgressLineCountsAtOnce() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        h.options(o -> o.withProgressTimeout(Duration.ofMillis(1500)));
        // each step: the epoch heading again (no advance), then at once the step line, then a slow
        // step; a flood guard that left the step line waiting for the next line would see no progress
        Path s = h.script("slow.py", """
                import time
                for step in range(1, 7):
                    print('Epoch 1/1', flush=True)
                    print(f'step {step}/6 loss 0.5', flush=True)
                    time.sleep(0.6)
                print('done', flush=True)
                """);
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.events(r, "attempt_stopping").toString());
        assertEquals(6, Harness.events(r, "attempt_finished").get(0).path("last_progress").path("step").asLong());
    }
}
