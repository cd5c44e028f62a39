package dev.medic.supervise;

import dev.medic.MedicException;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunStateTest {
    @TempDir
    Path run;

    private RunState journal(String... lines) throws Exception {
        Files.writeString(run.resolve("journal.jsonl"), String.join("\n", lines) + "\n");
        return RunState.read(run);
    }

    private static final String STARTED = "{\"event\":\"run_started\",\"attempt\":0,\"run_id\":\"r1\",\"argv\":[\"python3\",\"t.py\",\"--bs\",\"64\"],"
            + "\"cwd\":\"/work\",\"backend\":\"local\"}";

    @Test
    void theNextSpecIsTheFirstCommandWithEveryFixLaidOverTheResumingEnvironment() throws Exception {
        RunState s = journal(STARTED,
                "{\"event\":\"attempt_started\",\"attempt\":1}",
                "{\"event\":\"attempt_finished\",\"attempt\":1}",
                "{\"event\":\"failure\",\"attempt\":1,\"failure\":\"cuda_oom\",\"root\":true,\"fingerprint\":\"cuda_oom|x\"}",
                "{\"event\":\"decision\",\"attempt\":1,\"failure\":\"cuda_oom\",\"fix\":\"reduce_batch_size\",\"step\":0,\"params\":{\"factor\":0.5}}",
                "{\"event\":\"fix_applied\",\"attempt\":1,\"fix\":\"reduce_batch_size\",\"argv\":[\"python3\",\"t.py\",\"--bs\",\"32\"],"
                        + "\"env_set\":{\"PYTORCH_CUDA_ALLOC_CONF\":\"expandable_segments:True\"},\"env_unset\":[\"OLD\"],"
                        + "\"backend_settings\":{\"shm_size\":\"1073741824\"},\"changed\":true,\"spends_attempt\":true}",
                "{\"event\":\"attempt_started\",\"attempt\":2}",
                "{\"event\":\"attempt_finished\",\"attempt\":2}",
                "{\"event\":\"decision\",\"attempt\":2,\"failure\":\"gpu_fault\",\"fix\":\"exclude_gpu\",\"step\":0,\"params\":{}}",
                "{\"event\":\"fix_applied\",\"attempt\":2,\"fix\":\"exclude_gpu\",\"argv\":[\"python3\",\"t.py\",\"--bs\",\"32\"],"
                        + "\"env_set\":{\"CUDA_VISIBLE_DEVICES\":\"1\"},\"env_unset\":[],\"changed\":true,\"spends_attempt\":false}",
                "{\"event\":\"attempt_started\",\"attempt\":3}",
                "{\"event\":\"attempt_finished\",\"attempt\":3}",
                "{\"event\":\"requeued\",\"attempt\":3}",
                "{\"event\":\"attempt_started\",\"attempt\":4}",
                "{\"event\":\"run_finished\",\"attempt\":4,\"status\":\"interr");
        RunSpec base = new RunSpec(List.of("ignored"), Map.of("HOME", "/root", "OLD", "1", "CUDA_VISIBLE_DEVICES", "0,1"), Path.of("/elsewhere"),
                Map.of("shm_size", "64", "memory", "8g"));
        RunSpec next = s.nextSpec(base);
        assertEquals(List.of("python3", "t.py", "--bs", "32"), next.getArgv());
        assertEquals(Map.of("HOME", "/root", "CUDA_VISIBLE_DEVICES", "1", "PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True"), next.getEnv());
        assertEquals(Map.of("shm_size", "1073741824", "memory", "8g"), next.getBackendSettings());
        assertEquals(Path.of("/work"), next.getWorkdir());
        assertEquals(4, s.lastAttempt());
        assertEquals(4, s.abandonedAttempt(), "the torn run_finished line does not count; attempt 4 never ended");
        assertNull(s.finishedStatus());
        assertEquals(3, s.freeAttempts(), "exclude_gpu, the requeue and the abandoned attempt are free");
        assertEquals("cuda_oom|x", s.pastFailures().get(0).fingerprint());
        assertEquals(2, s.applied().size());
        assertEquals(Map.of("factor", 0.5), s.applied().get(0).params());
        assertEquals("cuda_oom", s.applied().get(0).failureId());
    }

    @Test
    void aCommandWhoseSecretsWereMaskedInTheJournalIsNotResumed() throws Exception {
        RunState s = journal(STARTED.replace("\"64\"", "\"--token=***\""));
        MedicException e = assertThrows(MedicException.class, () -> s.nextSpec(new RunSpec(List.of("x"), Map.of(), Path.of("/"))));
        assertTrue(e.getMessage().startsWith("run r1 cannot be resumed: its journal holds its command with secret-looking values masked"),
                e.getMessage());
    }

    @Test
    void aFolderWithoutARunStartIsRefused() throws Exception {
        MedicException e = assertThrows(MedicException.class, () -> journal("{\"event\":\"attempt_started\",\"attempt\":1}"));
        assertTrue(e.getMessage().endsWith("has no journal that starts with run_started; it is not a run to resume"), e.getMessage());
    }
}
