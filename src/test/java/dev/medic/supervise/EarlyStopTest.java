package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A catalog entry with stop_after stops a live attempt instead of waiting for it to end. */
class EarlyStopTest {
    @TempDir
    Path tmp;

    @Test
    void aFailureSeenOftenEnoughStopsTheAttemptEvenIfItWouldExit0() throws Exception {
        Harness h = new Harness(tmp);
        h.catalog = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Files.writeString(h.catalog.resolve("diverged.yaml"), """
                failures:
                  - id: diverged
                    description: the loss is NaN
                    stop_after: 3
                    signatures:
                      - pattern: '(?i)\\bloss[=: ]+nan\\b'
                    ladder:
                      - escalate
                """);
        h.maxAttempts = 1;
        Path s = h.script("diverge.py", """
                import time
                for step in range(100000):
                    print(f'step {step} loss: {"nan" if step >= 5 else 1.0 / (step + 1)}', flush=True)
                    time.sleep(0.01)
                """);
        long t0 = System.nanoTime();
        RunResult r = h.run("python3", s.toString());
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "stopped early, not after 1000 s of NaN");
        JsonNode stopping = Harness.events(r, "attempt_stopping").get(0);
        assertEquals("diverged", stopping.path("failure").asText());
        JsonNode failure = Harness.events(r, "failure").get(0);
        assertEquals("diverged", failure.path("failure").asText());
        assertEquals("step 5 loss: nan", failure.path("evidence").get(0).path("text").asText());
        assertEquals("diverged", Harness.events(r, "attempt_finished").get(0).path("stopped_for").asText());
        assertEquals(RunStatus.ESCALATED, r.status());
    }
}
