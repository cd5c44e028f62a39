package dev.medic.supervise;

import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal never holds the value of a secret-named environment variable; the attempt log stays verbatim. */
class SecretsTest {
    @TempDir
    Path tmp;

    @Test
    void secretValuesNeverReachTheJournalOrTheEscalation() throws Exception {
        Harness h = new Harness(tmp);
        String token = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        String password = "correct-horse-battery-staple";
        h.env.put("HF_TOKEN", token);
        h.env.put("DB_PASSWORD", password);
        h.env.put("WANDB_API_KEY", "0123456789abcdef0123456789abcdef");
        Path s = h.script("leaky.py", """
                import os, sys
                print('using token', os.environ['HF_TOKEN'], 'and', os.environ['DB_PASSWORD'], flush=True)
                sys.stderr.write('torch.OutOfMemoryError: CUDA out of memory (token=%s)\\n' % os.environ['HF_TOKEN'])
                sys.exit(1)
                """);
        // the secret is in the argv too, as a shell would have expanded it
        RunResult r = h.run("python3", s.toString(), "--hub-token", token, "--batch-size", "4");
        assertEquals(RunStatus.ESCALATED, r.status());
        String journal = Files.readString(r.runDir().resolve("journal.jsonl"));
        assertFalse(journal.contains(token), journal);
        assertFalse(journal.contains(password), journal);
        assertFalse(journal.contains("0123456789abcdef0123456789abcdef"), journal);
        assertTrue(journal.contains("***"), "redacted values are marked");
        assertTrue(journal.contains("CUDA out of memory (token=***)"), "evidence is kept, minus the secret");
        String log = Files.readString(r.runDir().resolve("attempt-1.log"));
        assertTrue(log.contains(token), "the attempt log is the run's own output, verbatim");
        String escalation = h.escalations.get(0).toString();
        assertFalse(escalation.contains(token), escalation);
    }
}
