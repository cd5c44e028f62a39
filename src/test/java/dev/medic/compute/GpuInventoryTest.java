package dev.medic.compute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuInventoryTest {
    @TempDir
    Path tmp;

    private static GpuInventory.Result probe(Map<String, String> env) {
        return GpuInventory.probe(env, Duration.ofSeconds(10));
    }

    @Test
    void theCapturedH200OutputIsOneGpu() throws Exception {
        var r = probe(FakeNvidiaSmi.capturedH200(tmp));
        assertEquals("", r.note());
        assertEquals(1, r.gpus().size());
        Gpu g = r.gpus().get(0);
        assertEquals(0, g.index());
        assertEquals("NVIDIA H200", g.name());
        assertEquals("GPU-14a9cb09-ae08-55c9-60a5-427ca9b9477d", g.uuid());
        assertEquals(143771, g.memoryTotalMib());
        assertEquals(143156, g.memoryFreeMib());
        assertEquals(42, g.temperatureC());
    }

    @Test
    void twoAndEightGpus() throws Exception {
        assertEquals(2, probe(FakeNvidiaSmi.env(tmp.resolve("two"), FakeNvidiaSmi.query(2), FakeNvidiaSmi.listing(2), 0)).gpus().size());
        var eight = probe(FakeNvidiaSmi.env(tmp.resolve("eight"), FakeNvidiaSmi.query(8), FakeNvidiaSmi.listing(8), 0)).gpus();
        assertEquals(8, eight.size());
        assertEquals(7, eight.get(7).index());
        assertEquals(35, eight.get(7).utilizationPercent());
    }

    @Test
    void migInstancesAreListedUnderTheirGpu() throws Exception {
        String listing = """
                GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-5d7c5a4e-0000-0000-0000-000000000000)
                  MIG 3g.40gb     Device  0: (UUID: MIG-1c3e2f10-1111-5555-9999-aaaaaaaaaaaa)
                  MIG 3g.40gb     Device  1: (UUID: MIG-1c3e2f10-2222-5555-9999-bbbbbbbbbbbb)
                GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-5d7c5a4e-0000-0000-0000-000000000001)
                """;
        String csv = "0, NVIDIA A100-SXM4-80GB, GPU-5d7c5a4e-0000-0000-0000-000000000000, 81920, 0, 81920, [N/A], 35\n"
                + "1, NVIDIA A100-SXM4-80GB, GPU-5d7c5a4e-0000-0000-0000-000000000001, 81920, 1024, 80896, 12, 38\n";
        var gpus = probe(FakeNvidiaSmi.env(tmp, csv, listing, 0)).gpus();
        assertEquals(2, gpus.get(0).mig().size());
        assertEquals("3g.40gb", gpus.get(0).mig().get(1).profile());
        assertEquals("MIG-1c3e2f10-2222-5555-9999-bbbbbbbbbbbb", gpus.get(0).mig().get(1).uuid());
        assertEquals(-1, gpus.get(0).utilizationPercent(), "[N/A] is -1, not an error");
        assertEquals(0, gpus.get(1).mig().size());
    }

    @Test
    void aFailingOrMissingNvidiaSmiMeansNoGpuWithTheReason() throws Exception {
        var failing = probe(FakeNvidiaSmi.env(tmp, "", "", 9));
        assertEquals(0, failing.gpus().size());
        assertTrue(failing.note().startsWith("nvidia-smi failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate"),
                failing.note());
        var missing = probe(Map.of("PATH", tmp.resolve("empty").toString()));
        assertEquals("nvidia-smi not found: no NVIDIA driver tools on this machine", missing.note());
    }
}
