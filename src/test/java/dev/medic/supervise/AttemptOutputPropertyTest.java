package dev.medic.supervise;

import dev.medic.Fixtures;
import dev.medic.backend.OutputSink;
import dev.medic.facts.LogEvent;
import dev.medic.facts.Signature;
import dev.medic.logs.Ansi;
import dev.medic.logs.AttemptLog;
import dev.medic.logs.LogBytes;
import dev.medic.logs.ReferenceSplitter;
import dev.medic.logs.Screen;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole output path of an attempt (split, log, screen, match) over arbitrary bytes in
 * arbitrary chunks: the attempt log holds exactly the bytes the child wrote, and the events are
 * those of the lines of a plain reference split, with the line numbers of the file.
 */
class AttemptOutputPropertyTest {
    private static final List<Signature> SIGNATURES = Fixtures.defaultCatalog().signatures();
    private static final List<Signature> PATTERNS = SIGNATURES.stream().filter(Signature::hasPattern).toList();
    private static final Screen SCREEN = new Screen(SIGNATURES);
    private static Path dir;

    /** An event as compared: where, what, and which signatures (by name). */
    record Event(String stream, long lineNo, String text, Set<String> hits) {
        static Event of(LogEvent e) {
            return new Event(e.getStream(), e.getLineNo(), e.getText(), names(e.getHits()));
        }
    }

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("medic-attempt-output");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        Files.deleteIfExists(dir);
    }

    /** Child output with lines the catalog matches mixed in. */
    @Provide
    Arbitrary<byte[]> output() {
        Arbitrary<byte[]> matching = LogBytes.catalogLines(PATTERNS).map(l -> (l + "\n").getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(Tuple.of(1, LogBytes.output(400, 8)), Tuple.of(3, matching)).list().ofMaxSize(4).map(LogBytes::concat);
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return LogBytes.chunking();
    }

    @Provide
    Arbitrary<Integer> maxLine() {
        return Arbitraries.oneOf(Arbitraries.integers().between(16, 200), Arbitraries.just(64 * 1024));
    }

    @Property(tries = 300)
    void oneStreamIsLoggedExactlyAndItsMatchingLinesBecomeEvents(@ForAll("output") byte[] input, @ForAll("chunks") List<Integer> chunks,
                                                                 @ForAll("maxLine") int maxLine, @ForAll("stream") String stream) throws IOException {
        Expected expected = new Expected(maxLine);
        Run run = new Run(maxLine);
        LogBytes.feed(input, chunks, (b, off, len) -> {
            expected.feed(stream, b, off, len);
            run.output.bytes(stream, b, off, len);
        });
        expected.close(stream);
        run.output.closed(stream);
        run.check(expected);
    }

    @Provide
    Arbitrary<String> stream() {
        return Arbitraries.of(OutputSink.STDOUT, OutputSink.STDERR);
    }

    /** Both streams at once, in any order: whole lines of each land in the log, interleaved, nothing lost or split. */
    @Property(tries = 150)
    void twoStreamsInterleaveAtLineBoundaries(@ForAll("output") byte[] out, @ForAll("output") byte[] err,
                                              @ForAll("chunks") List<Integer> chunks, @ForAll("order") List<Boolean> order) throws IOException {
        // lines under the limit: a piece of a long line would make the other stream wait (that wait is timed)
        int maxLine = 1 << 20;
        List<String> streams = new ArrayList<>();
        List<byte[]> pieces = new ArrayList<>();
        List<byte[]> outChunks = chunked(out, chunks);
        List<byte[]> errChunks = chunked(err, chunks);
        int o = 0;
        int e = 0;
        for (int k = 0; o < outChunks.size() || e < errChunks.size(); k++) {
            boolean takeOut = e >= errChunks.size() || (o < outChunks.size() && order.get(k % order.size()));
            streams.add(takeOut ? OutputSink.STDOUT : OutputSink.STDERR);
            pieces.add(takeOut ? outChunks.get(o++) : errChunks.get(e++));
        }
        Expected expected = new Expected(maxLine);
        Run run = new Run(maxLine);
        for (int i = 0; i < pieces.size(); i++) {
            byte[] p = pieces.get(i);
            expected.feed(streams.get(i), p, 0, p.length);
            run.output.bytes(streams.get(i), p, 0, p.length);
        }
        String firstClosed = order.get(0) ? OutputSink.STDOUT : OutputSink.STDERR;
        String lastClosed = order.get(0) ? OutputSink.STDERR : OutputSink.STDOUT;
        for (String s : List.of(firstClosed, lastClosed)) {
            expected.close(s);
            run.output.closed(s);
        }
        run.check(expected);
    }

    @Provide
    Arbitrary<List<Boolean>> order() {
        return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(8);
    }

    /** What the log and the queue must hold, from one reference splitter a stream. */
    private static final class Expected {
        final Map<String, ReferenceSplitter> splitters;
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final List<Event> events = new ArrayList<>();
        long lines;

        Expected(int maxLine) {
            splitters = Map.of(OutputSink.STDOUT, new ReferenceSplitter(maxLine), OutputSink.STDERR, new ReferenceSplitter(maxLine));
        }

        void feed(String stream, byte[] b, int off, int len) {
            splitters.get(stream).feed(b, off, len).forEach(p -> add(stream, p));
        }

        void close(String stream) {
            splitters.get(stream).finish().forEach(p -> add(stream, p));
        }

        private void add(String stream, ReferenceSplitter.Piece p) {
            file.writeBytes(p.bytes());
            long lineNo = lines + 1;
            if (!p.continues()) {
                lines = lineNo;
            }
            String text = Ansi.strip(new String(p.content().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            List<Signature> hits = new ArrayList<>();
            for (Signature s : PATTERNS) {
                if (s.appliesToStream(stream) && s.matchesText(text)) {
                    hits.add(s);
                }
            }
            if (!hits.isEmpty()) {
                events.add(new Event(stream, lineNo, text, names(hits)));
            }
        }
    }

    /** A real AttemptOutput writing a real attempt log. */
    private static final class Run {
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        final AttemptLog log;
        final AttemptOutput output;

        Run(int maxLine) throws IOException {
            log = new AttemptLog(Files.createTempFile(dir, "attempt-", ".log"));
            output = new AttemptOutput(1, log, SCREEN, queue, maxLine, null);
        }

        void check(Expected expected) throws IOException {
            try {
                log.close();
                byte[] file = Files.readAllBytes(log.path());
                assertArrayEquals(expected.file.toByteArray(), file, "the attempt log");
                assertEquals(file.length, log.bytes(), "bytes counted");
                assertEquals(expected.lines, log.lines(), "lines counted");
                List<Event> events = new ArrayList<>();
                for (Object item : queue) {
                    if (item instanceof AttemptOutput.WriteFailed w) {
                        throw w.error();
                    }
                    if (item instanceof LogEvent e) {
                        events.add(Event.of(e));
                    }
                }
                assertEquals(expected.events, events, "the events of matching lines");
            } finally {
                Files.deleteIfExists(log.path());
            }
        }
    }

    private static Set<String> names(List<Signature> hits) {
        Set<String> names = new TreeSet<>();
        hits.forEach(s -> names.add(s.describe()));
        return names;
    }

    private static List<byte[]> chunked(byte[] input, List<Integer> sizes) {
        List<byte[]> out = new ArrayList<>();
        LogBytes.feed(input, sizes, (b, off, len) -> out.add(java.util.Arrays.copyOfRange(b, off, off + len)));
        return out;
    }
}
