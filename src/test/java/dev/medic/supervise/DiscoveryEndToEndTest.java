package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flag discovery under a real supervisor: real Python scripts launched without the flag the fix needs. */
class DiscoveryEndToEndTest {
    @TempDir
    Path tmp;

    private Harness harness() {
        Harness h = new Harness(tmp);
        h.env.remove("CUDA_VISIBLE_DEVICES");
        return h;
    }

    /** Diverges after a few steps unless --max_grad_norm is given; launched without it. */
    private static final String DIVERGES = """
            import argparse, math, time
            p = argparse.ArgumentParser()
            p.add_argument('--lr', type=float, default=0.1)
            p.add_argument('--max_grad_norm', type=float, default=None)
            a = p.parse_args()
            w = 1.0
            for step in range(1, 400):
                grad = 10.0 * w
                if a.max_grad_norm is not None and abs(grad) > a.max_grad_norm:
                    grad = math.copysign(a.max_grad_norm, grad)
                w = w + a.lr * grad * 100 if a.max_grad_norm is None else w - a.lr * grad * 0.01
                loss = w * w if abs(w) < 1e6 else float('nan')
                print(f'step {step} loss {loss}', flush=True)
                if step == 30 and not math.isnan(loss):
                    break
                time.sleep(0.02)
            print('training done', flush=True)
            """;

    @Test
    void aScriptThatDivergesUnlessClippedIsRecoveredWithTheFlagItDeclares() throws Exception {
        Harness h = harness();
        Path s = h.script("train.py", DIVERGES);
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals("nan_loss", Harness.events(r, "failure").get(0).path("failure").asText());
        JsonNode fix = Harness.events(r, "fix_applied").get(0);
        assertEquals("gradient_clipping", fix.path("fix").asText());
        assertEquals("argv[2] --max_grad_norm 1.0 added (no clipping flag was given; the program's default is None,"
                + " learnt from its argparse source)", fix.path("changes").get(0).asText());
        assertEquals(List.of("python3", s.toString(), "--max_grad_norm", "1.0"),
                strings(Harness.events(r, "attempt_started").get(1).path("argv")));
        JsonNode learnt = Harness.events(r, "flags_discovered").get(0);
        assertEquals(s.toString(), learnt.path("script").asText());
        assertEquals("source", learnt.path("method").asText());
        assertEquals(2, learnt.path("flags").asInt());
        assertEquals(1, Harness.events(r, "flags_discovered").size(), "learnt once per script");
        try (var l = Files.list(r.runDir().resolve("discovered"))) {
            assertEquals(1, l.count());
        }
    }

    @Test
    void anOomWithoutABatchFlagGetsTheProgramsDefaultHalved() throws Exception {
        Harness h = harness();
        Path s = h.script("train_oom.py", """
                import argparse, sys
                p = argparse.ArgumentParser()
                p.add_argument('--batch-size', type=int, default=64)
                a = p.parse_args()
                print(f'batch {a.batch_size}', flush=True)
                if a.batch_size > 32:
                    sys.stderr.write('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\\n')
                    sys.exit(1)
                print('training done', flush=True)
                """);
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        JsonNode fix = Harness.events(r, "fix_applied").stream().filter(f -> f.path("fix").asText().equals("reduce_batch_size"))
                .findFirst().orElseThrow();
        assertEquals("argv[2] --batch-size 32 added (the program's default is 64, learnt from its argparse source)",
                fix.path("changes").get(0).asText());
        List<JsonNode> started = Harness.events(r, "attempt_started");
        assertEquals(List.of("python3", s.toString(), "--batch-size", "32"), strings(started.get(started.size() - 1).path("argv")));
    }

    @Test
    void withDiscoveryOffNothingIsLearntOrAdded() throws Exception {
        Harness h = harness();
        h.maxAttempts = 3;
        h.options(o -> o.withDiscover(false));
        Path s = h.script("train.py", DIVERGES);
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.ESCALATED, r.status(), Harness.journal(r).toString());
        assertTrue(Harness.events(r, "flags_discovered").isEmpty());
        assertTrue(Harness.events(r, "fix_applied").isEmpty(), Harness.journal(r).toString());
        assertFalse(Files.exists(r.runDir().resolve("discovered")));
    }

    @Test
    void aHelpThatHangsAddsNothingAndTheRunGoesOn() throws Exception {
        Harness h = harness();
        h.maxAttempts = 2;
        // flags made in a loop: the source is not conclusive, so --help is asked, and it never answers
        Path s = h.script("train.py", """
                import argparse, sys, time
                if '--help' in sys.argv:
                    time.sleep(600)
                p = argparse.ArgumentParser()
                for name in ['batch-size']:
                    p.add_argument('--' + name, type=int, default=64)
                a = p.parse_args()
                sys.stderr.write('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\\n')
                sys.exit(1)
                """);
        long start = System.nanoTime();
        RunResult r = h.run("python3", s.toString());
        assertTrue(System.nanoTime() - start < 60_000_000_000L);
        JsonNode learnt = Harness.events(r, "flags_discovered").get(0);
        assertTrue(learnt.path("why_not").asText().contains("did not finish within 10.0 s"), learnt.toString());
        assertTrue(Harness.events(r, "fix_applied").stream().noneMatch(f -> f.path("fix").asText().equals("reduce_batch_size")),
                Harness.journal(r).toString());
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(a -> out.add(a.asText()));
        return out;
    }
}
