package dev.medic.compute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextProbeTest {
    @TempDir
    Path tmp;

    @Test
    void visibleGpusAreNvidiaSmisNarrowedByCudaVisibleDevices() throws Exception {
        Map<String, String> env = new HashMap<>(FakeNvidiaSmi.env(tmp.resolve("smi"), FakeNvidiaSmi.query(8), FakeNvidiaSmi.listing(8), 0));
        env.remove("CUDA_VISIBLE_DEVICES");
        assertEquals(8, new ContextProbe().probe(tmp, env).getGpus());
        env.put("CUDA_VISIBLE_DEVICES", "2,5");
        assertEquals(2, new ContextProbe().probe(tmp, env).getGpus());
        env.put("CUDA_VISIBLE_DEVICES", "");
        assertEquals(0, new ContextProbe().probe(tmp, env).getGpus(), "an empty list hides every GPU");
        var c = new ContextProbe().probe(tmp, env);
        assertTrue(c.getDiskFreeBytes() > 0 && c.getDiskTotalBytes() >= c.getDiskFreeBytes());
    }

    @Test
    void gpusCountedAheadAreTheOnesAProbeFinds() throws Exception {
        Map<String, String> env = new HashMap<>(FakeNvidiaSmi.env(tmp.resolve("smi"), FakeNvidiaSmi.query(4), FakeNvidiaSmi.listing(4), 0));
        env.remove("CUDA_VISIBLE_DEVICES");
        ContextProbe probe = new ContextProbe();
        probe.prefetch(env);
        assertEquals(4, probe.probe(tmp, env).getGpus());
        env.put("CUDA_VISIBLE_DEVICES", "1");
        assertEquals(1, probe.probe(tmp, env).getGpus(), "the count is kept; the variable still narrows it");
    }

    @Test
    void noNvidiaSmiMeansNoGpu() {
        assertEquals(0, new ContextProbe().probe(tmp, Map.of("PATH", tmp.toString())).getGpus());
    }
}
