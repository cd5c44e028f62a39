package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.compute.FakeNvidiaSmi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void reportsGpusCpusMemoryDiskAndServices() throws Exception {
        var env = FakeNvidiaSmi.env(tmp.resolve("smi"), FakeNvidiaSmi.query(2), FakeNvidiaSmi.listing(2), 0);
        MedicProcess m = MedicProcess.start(tmp, env, "compute", "--json");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        JsonNode j = new ObjectMapper().readTree(m.out());
        assertEquals(2, j.path("gpus").size());
        assertEquals("NVIDIA H200", j.path("gpus").get(1).path("name").asText());
        assertEquals(143671, j.path("gpus").get(1).path("memory_free_mib").asLong());
        assertTrue(j.path("cpus").asInt() >= 1);
        assertTrue(j.path("memory_total_bytes").asLong() > 0);
        assertTrue(j.path("disk_free_bytes").asLong() > 0);
        assertTrue(j.path("docker").has("answers") && j.path("slurm").has("answers"));

        MedicProcess text = MedicProcess.start(tmp, FakeNvidiaSmi.env(tmp.resolve("broken"), "", "", 9), "compute");
        assertEquals(ExitCodes.SUCCESS, text.waitFor(), text.err());
        assertTrue(text.out().startsWith("gpus: none (nvidia-smi failed (exit 9): NVIDIA-SMI has failed"), text.out());
    }
}
