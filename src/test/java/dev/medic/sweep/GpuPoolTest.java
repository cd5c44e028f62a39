package dev.medic.sweep;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuPoolTest {
    /** Many trials against the pool at once: no GPU ever holds more than perGpu, and every GPU is used. */
    private static void hammer(int gpus, int perTrial, int perGpu, int trials) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            ids.add(Integer.toString(i));
        }
        GpuPool pool = new GpuPool(ids, perTrial, perGpu);
        Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
        Map<String, Integer> max = new ConcurrentHashMap<>();
        ExecutorService ex = Executors.newFixedThreadPool(trials);
        for (int t = 0; t < trials; t++) {
            ex.submit(() -> {
                List<String> got = pool.acquire();
                assertEquals(perTrial, got.stream().distinct().count());
                for (String g : got) {
                    int n = now.computeIfAbsent(g, k -> new AtomicInteger()).incrementAndGet();
                    max.merge(g, n, Math::max);
                }
                Thread.sleep(20);
                for (String g : got) {
                    now.get(g).decrementAndGet();
                }
                pool.release(got);
                return null;
            });
        }
        ex.shutdown();
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(max.values().stream().allMatch(m -> m <= perGpu), "per GPU at most " + perGpu + ": " + max);
        assertEquals(gpus, max.size(), "every GPU was used: " + max);
        assertTrue(pool.highWater() <= perGpu);
    }

    @Test
    void oneTwoAndEightGpus() throws Exception {
        hammer(1, 1, 1, 6);
        hammer(2, 1, 2, 12);
        hammer(8, 2, 1, 20);
        hammer(8, 1, 3, 40);
    }

    @Test
    void aTrialCannotWantMoreGpusThanThePoolHas() {
        assertThrows(IllegalArgumentException.class, () -> new GpuPool(List.of("0", "1"), 3, 1));
    }
}
