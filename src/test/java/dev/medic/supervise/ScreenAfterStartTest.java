package dev.medic.supervise;

import dev.medic.Fixtures;
import dev.medic.backend.OutputSink;
import dev.medic.facts.LogEvent;
import dev.medic.logs.AttemptLog;
import dev.medic.logs.Screen;
import dev.medic.progress.ProgressParser;
import dev.medic.progress.ProgressTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The supervisor builds an attempt's screen once the child runs: output that comes before is
 * held, and judged when the screen is given, in order, nothing lost. The writer never waits: a
 * backend that writes output from its start() on the supervisor's own thread (a container the
 * engine refused) must not wait for a screen that thread has yet to give.
 */
class ScreenAfterStartTest {
    @TempDir
    Path tmp;

    @Test
    void outputBeforeTheScreenIsJudgedInOrderOnceItIsThere() throws Exception {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        AttemptLog log = new AttemptLog(tmp.resolve("attempt-1.log"));
        AttemptOutput output = new AttemptOutput(1, log, ProgressParser.none(), new ProgressTracker(), queue, 65536, null);
        String before = "step 1 loss 2.5\n"
                + "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n"
                + "step 2 loss 2.4\n";
        String after = "ModuleNotFoundError: No module named 'flash_attn'\n";
        // on this thread, as the supervisor's own: it must come back without a screen
        byte[] b = before.getBytes(StandardCharsets.UTF_8);
        output.bytes(OutputSink.STDERR, b, 0, b.length);
        assertTrue(queue.isEmpty(), "no line is judged without the screen");

        output.screenWith(new Screen(Fixtures.defaultCatalog().signatures()));
        byte[] a = after.getBytes(StandardCharsets.UTF_8);
        Thread child = new Thread(() -> {
            output.bytes(OutputSink.STDERR, a, 0, a.length);
            output.closed(OutputSink.STDERR);
        });
        child.start();
        child.join();
        log.close();
        String text = before + after;

        List<LogEvent> events = new ArrayList<>();
        for (Object item : queue) {
            if (item instanceof LogEvent e) {
                events.add(e);
            }
        }
        assertEquals(2, events.size(), events.toString());
        assertEquals(2, events.get(0).getLineNo());
        assertTrue(events.get(0).getText().startsWith("torch.OutOfMemoryError"));
        assertEquals(4, events.get(1).getLineNo());
        assertTrue(events.get(1).getText().startsWith("ModuleNotFoundError"));
        assertEquals(text, Files.readString(log.path()), "the attempt log holds every byte");
    }
}
