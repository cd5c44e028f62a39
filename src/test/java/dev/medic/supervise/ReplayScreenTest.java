package dev.medic.supervise;

import dev.medic.Fixtures;
import dev.medic.facts.LogEvent;
import dev.medic.logs.Ansi;
import dev.medic.logs.ExceptionReader;
import dev.medic.logs.LineSplitter;
import dev.medic.logs.Screen;
import dev.medic.logs.ScreenedLog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replay drops, on its reading threads, the lines no signature matches and no traceback needs.
 * What reaches the rules must be exactly what a supervisor that read every line the byte screen
 * passes would have given them (as a live attempt does): the same lines, numbers and hits.
 */
class ReplayScreenTest {
    private final Screen screen = new Screen(Fixtures.defaultCatalog().signatures());

    /** The events of a reader that gives every line the byte screen passes to the traceback reader and the signatures. */
    private List<String> everyCandidate(byte[] log) {
        List<String> out = new ArrayList<>();
        ExceptionReader exceptions = screen.exceptionReader();
        long[] lineNo = {0};
        boolean[] continuing = {false};
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE, (b, off, len, term, continues) -> {
            if (!continuing[0]) {
                lineNo[0]++;
            }
            continuing[0] = continues;
            if (screen.mayMatch(b, off, len)) {
                String text = Ansi.strip(new String(b, off, len, StandardCharsets.UTF_8));
                var hits = exceptions.hits(screen.match(text, null), text, null, lineNo[0]);
                if (!hits.isEmpty()) {
                    out.add(lineNo[0] + " " + hits + " " + text);
                }
            }
        });
        splitter.feed(log, 0, log.length);
        splitter.finish();
        return out;
    }

    private List<String> replayed(Path log, ScreenedLog.Reading reading) throws IOException {
        List<String> out = new ArrayList<>();
        Replayer.events(log, LineSplitter.DEFAULT_MAX_LINE, screen, reading, 1,
                (LogEvent e) -> out.add(e.getLineNo() + " " + e.getHits() + " " + e.getText()));
        return out;
    }

    @Test
    void everyLabelledLogGivesTheRulesWhatAReaderOfEveryCandidateWould() throws IOException {
        int logs = 0;
        int events = 0;
        for (String dir : List.of("unseen", "unseen-2", "cases", "structure", "kills")) {
            try (Stream<Path> s = Files.walk(Fixtures.projectDir().resolve("src/test/resources").resolve(dir))) {
                for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".log")).toList()) {
                    List<String> expected = everyCandidate(Files.readAllBytes(p));
                    assertEquals(expected, replayed(p, ScreenedLog.Reading.sequential()), p.toString());
                    logs++;
                    events += expected.size();
                }
            }
        }
        assertTrue(logs > 250 && events > 500, logs + " logs, " + events + " events");
    }

    @Test
    void aLogReadInRangesOnSeveralThreadsGivesTheSameEvents(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<String> near = List.of("iter %d: loss 0.1, mfu 38%% [nanoGPT]", "eval %d: val/error_rate=0.04", "wandb: step %d grad_norm 1.9",
                "disk check %d: no space issues", "  File \"/app/train.py\", line %d, in main", "Traceback (most recent call last):",
                "RuntimeError: CUDA out of memory. Tried %d", "step %d loss: nan");
        for (int i = 0; i < 60_000; i++) {
            sb.append(String.format(near.get(i % 7 == 0 ? (i / 7) % near.size() : 0), i)).append(i % 11 == 0 ? "\r" : "\n");
        }
        Path log = tmp.resolve("near-miss.log");
        Files.writeString(log, sb);
        List<String> expected = everyCandidate(Files.readAllBytes(log));
        assertTrue(expected.size() > 500, "events: " + expected.size());
        assertEquals(expected, replayed(log, new ScreenedLog.Reading(2, 64 * 1024)));
    }

    @Test
    void rangesTooFullOfCandidatesAreCutIntoPiecesAndKeepTheirOrder(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        // traceback frames are candidates (the traceback reader needs them): 8 MiB of them overflow a range's candidates
        StringBuilder sb = new StringBuilder();
        for (int block = 0; sb.length() < 12 << 20; block++) {
            sb.append("Traceback (most recent call last):\n");
            for (int f = 0; f < 40; f++) {
                sb.append("  File \"/app/model_").append(f).append(".py\", line ").append(block).append(", in forward\n");
                sb.append("    return self.layer(x)\n");
            }
            sb.append(block % 2 == 0 ? "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (block " : "KeyError: 'block ")
                    .append(block).append(block % 2 == 0 ? ")\n" : "'\n");
        }
        Path log = tmp.resolve("frames.log");
        Files.writeString(log, sb);
        List<String> sequential = replayed(log, ScreenedLog.Reading.sequential());
        assertTrue(sequential.size() > 1000, "events: " + sequential.size());
        assertEquals(sequential, replayed(log, new ScreenedLog.Reading(2, 8L << 20)));
    }
}
