package dev.medic.logs;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LineSplitter over arbitrary bytes in arbitrary chunks, checked against {@link ReferenceSplitter}. */
class LineSplitterPropertyTest {
    /** Keeps each piece as the splitter hands it over (copied: the buffer is the splitter's or the caller's). */
    private static final class Pieces implements LineSplitter.Sink {
        final List<ReferenceSplitter.Piece> all = new ArrayList<>();
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();

        @Override
        public void line(byte[] buf, int off, int contentLen, int termLen, boolean continues) {
            all.add(new ReferenceSplitter.Piece(new String(buf, off, contentLen, StandardCharsets.ISO_8859_1),
                    new String(buf, off + contentLen, termLen, StandardCharsets.ISO_8859_1), continues));
            raw.write(buf, off, contentLen + termLen);
        }
    }

    @Provide
    Arbitrary<byte[]> output() {
        return LogBytes.output();
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return LogBytes.chunking();
    }

    @Provide
    Arbitrary<Integer> maxLine() {
        // short limits cut often; ones near the initial carry buffer (8192) make it grow
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(1, 40)),
                Tuple.of(1, Arbitraries.integers().between(8180, 8200)));
    }

    @Property(tries = 600)
    void everyByteComesOutOnceInLinesThatDoNotDependOnTheChunking(@ForAll("output") byte[] input,
                                                                   @ForAll("chunks") List<Integer> chunks,
                                                                   @ForAll("maxLine") int maxLine) {
        Pieces got = new Pieces();
        LineSplitter s = new LineSplitter(maxLine, got);
        LogBytes.feed(input, chunks, s::feed);
        s.finish();

        assertArrayEquals(input, got.raw.toByteArray(), "the bytes out are the bytes in");
        for (ReferenceSplitter.Piece p : got.all) {
            assertTrue(p.content().length() <= maxLine, () -> "a piece longer than " + maxLine + ": " + p);
            assertFalse(p.content().contains("\n") || p.content().contains("\r"), () -> "a line end inside a piece: " + p);
            assertTrue(List.of("", "\n", "\r", "\r\n").contains(p.term()), () -> "not a line end: " + p);
            if (p.continues()) {
                assertEquals("", p.term());
                assertEquals(maxLine, p.content().length(), () -> "a piece cut short of the limit: " + p);
            }
        }
        assertEquals(ReferenceSplitter.split(input, maxLine), got.all, "the pieces of the whole input fed at once");
    }
}
