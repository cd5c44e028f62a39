package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AttemptBudgetTest {
    @TempDir
    Path tmp;

    @Test
    void movingOffAFaultyGpuDoesNotSpendAnAttempt() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        h.env.put("CUDA_VISIBLE_DEVICES", "0,1,2,3");
        Path s = h.script("xid.py", """
                import os, sys
                if '2' in os.environ['CUDA_VISIBLE_DEVICES'].split(','):
                    sys.stderr.write('RuntimeError: CUDA error: uncorrectable ECC error encountered on GPU 2\\n')
                    sys.exit(1)
                print('ok on', os.environ['CUDA_VISIBLE_DEVICES'], flush=True)
                """);
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals(2, r.attempts(), "one attempt allowed, plus the free one after exclude_gpu");
        List<JsonNode> starts = Harness.events(r, "attempt_started");
        assertEquals("exclude_gpu", Harness.events(r, "decision").get(0).path("fix").asText());
        assertEquals(RunStatus.SUCCEEDED, r.status());
        assertEquals(2, starts.size());
    }
}
