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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The supervisor builds an attempt's screen beside the child's start: output that comes before it
 * is ready waits, and is judged afterwards in order, nothing lost.
 */
class ScreenAfterStartTest {
    @TempDir
    Path tmp;

    @Test
    void outputBeforeTheScreenIsJudgedInOrderOnceItIsThere() throws Exception {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        AttemptLog log = new AttemptLog(tmp.resolve("attempt-1.log"));
        CompletableFuture<Screen> screen = new CompletableFuture<>();
        AttemptOutput output = new AttemptOutput(1, log, screen, ProgressParser.none(), new ProgressTracker(), queue, 65536, null);
        String text = "step 1 loss 2.5\n"
                + "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n"
                + "step 2 loss 2.4\n"
                + "ModuleNotFoundError: No module named 'flash_attn'\n";
        Thread child = new Thread(() -> {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            output.bytes(OutputSink.STDERR, b, 0, b.length);
            output.closed(OutputSink.STDERR);
        });
        child.start();
        while (child.getState() != Thread.State.WAITING && child.isAlive()) {
            Thread.onSpinWait();
        }
        assertTrue(child.isAlive(), "the output waits for the screen");
        assertTrue(queue.isEmpty(), "no line is judged without the screen");

        screen.complete(new Screen(Fixtures.defaultCatalog().signatures()));
        child.join();
        log.close();

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
