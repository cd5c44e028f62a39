package dev.medic.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTrackerTest {
    private static Progress step(long step) {
        return new Progress(step, null, null, null, null, null, null, null);
    }

    private static Progress loss(double loss) {
        return new Progress(null, null, null, null, loss, null, null, null);
    }

    private static Progress epoch(double epoch) {
        return new Progress(null, null, epoch, null, null, null, null, null);
    }

    @Test
    void nothingIsKnownBeforeTheFirstProgressLine() {
        ProgressTracker t = new ProgressTracker();
        assertEquals(Progress.NONE, t.latest());
        assertEquals(Map.of(), t.toFields());
        assertEquals(-1, t.lastAdvancedMillis());
        assertEquals(-1, t.lastUpdateMillis());
        assertFalse(t.update(null, 5));
        assertFalse(t.update(Progress.NONE, 5));
        assertEquals(-1, t.lastUpdateMillis(), "an empty update is no progress line");
    }

    @Test
    void aLaterLineThatOnlyHasALossKeepsTheStepKnownBefore() {
        ProgressTracker t = new ProgressTracker();
        assertTrue(t.update(new Progress(100L, 1000L, null, null, 0.5, 3e-4, 5.2, "it/s"), 1_000));
        assertFalse(t.update(loss(0.45), 2_000), "a loss alone does not advance the run");
        Fields.assertProgress("step=100 total_steps=1000 loss=0.45 lr=3e-4 throughput=5.2 throughput_unit=it/s", t.latest(), "merged");
        assertEquals(1_000, t.lastAdvancedMillis());
        assertEquals(2_000, t.lastUpdateMillis());
    }

    @Test
    void aRateAndItsUnitAreReplacedTogether() {
        ProgressTracker t = new ProgressTracker();
        t.update(new Progress(1L, null, null, null, null, null, 1.5, "s/it"), 1);
        t.update(new Progress(2L, null, null, null, null, null, 12.0, "it/s"), 2);
        assertEquals(12.0, t.latest().throughput());
        assertEquals("it/s", t.latest().throughputUnit());
        t.update(loss(0.3), 3);
        assertEquals("it/s", t.latest().throughputUnit(), "a line without a rate keeps the rate and its unit");
    }

    @Test
    void progressAdvancesWhenTheStepOrTheEpochGoesUp() {
        ProgressTracker t = new ProgressTracker();
        assertTrue(t.update(step(10), 100), "the first known step advances");
        assertFalse(t.update(step(10), 200), "the same step again (a redraw) does not");
        assertEquals(100, t.lastAdvancedMillis());
        assertTrue(t.update(step(11), 300));
        assertTrue(t.update(epoch(1), 400), "the first known epoch advances");
        assertTrue(t.update(new Progress(0L, null, 2.0, null, null, null, null, null), 500), "a new epoch advances although its step starts again");
        assertEquals(500, t.lastAdvancedMillis());
        assertEquals(0L, t.latest().step());
    }

    @Test
    void aStepThatGoesBackIsTakenAndTheNextStepAdvancesAgain() {
        ProgressTracker t = new ProgressTracker();
        t.update(step(1000), 1);
        assertFalse(t.update(step(0), 2), "a new bar starting at 0 is not progress");
        assertEquals(0L, t.latest().step());
        assertEquals(1, t.lastAdvancedMillis());
        assertTrue(t.update(step(1), 3));
        assertEquals(3, t.lastAdvancedMillis());
    }

    @Test
    void aNanLossIsKeptAndNeitherAdvancesNorHidesTheStep() {
        ProgressTracker t = new ProgressTracker();
        t.update(new Progress(3L, null, null, null, 0.7, null, null, null), 1);
        assertTrue(t.update(new Progress(4L, null, null, null, Double.NaN, null, null, null), 2));
        assertTrue(Double.isNaN(t.latest().loss()));
        assertFalse(t.update(loss(Double.POSITIVE_INFINITY), 3));
        assertEquals(Double.POSITIVE_INFINITY, t.latest().loss());
        assertEquals(4L, t.latest().step());
    }

    @Test
    void toFieldsHasOnlyTheKnownFieldsUnderTheJournalsKeys() throws Exception {
        Progress all = new Progress(5L, 50L, 1.5, 3L, Double.NaN, 1e-4, 3.5, "s/it");
        assertEquals(List.of("step", "total_steps", "epoch", "total_epochs", "loss", "learning_rate", "throughput", "throughput_unit"),
                new ArrayList<>(all.toFields().keySet()));
        assertEquals(Map.of("epoch", 2.0, "loss", 0.25), new Progress(null, null, 2.0, null, 0.25, null, null, null).toFields());
        // the journal writes with a plain Jackson ObjectMapper: a NaN loss becomes the string "NaN", not invalid JSON
        String json = new ObjectMapper().writeValueAsString(all.toFields());
        assertEquals("{\"step\":5,\"total_steps\":50,\"epoch\":1.5,\"total_epochs\":3,\"loss\":\"NaN\",\"learning_rate\":1.0E-4,"
                + "\"throughput\":3.5,\"throughput_unit\":\"s/it\"}", json);
    }

    @Test
    void readersSeeWholeUpdatesWhileALineReaderWrites() throws Exception {
        ProgressTracker t = new ProgressTracker();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            for (long i = 1; i <= 200_000; i++) {
                // step and loss of one line always agree: a reader must never see one without the other
                t.update(new Progress(i, null, null, null, (double) i, null, null, null), i);
            }
        });
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(new Thread(() -> {
                long seen = 0;
                while (seen < 200_000 && torn.get() == null) {
                    Progress p = t.latest();
                    Map<String, Object> f = t.toFields();
                    if (p.step() != null && p.step().doubleValue() != p.loss()) {
                        torn.set("latest(): " + p);
                    }
                    if (f.containsKey("step") && ((Long) f.get("step")).doubleValue() != (Double) f.get("loss")) {
                        torn.set("toFields(): " + f);
                    }
                    seen = p.step() == null ? 0 : p.step();
                }
            }));
        }
        readers.forEach(Thread::start);
        writer.start();
        writer.join();
        for (Thread r : readers) {
            r.join();
        }
        assertNull(torn.get());
        assertEquals(200_000L, t.latest().step());
        assertEquals(200_000, t.lastAdvancedMillis());
    }
}
