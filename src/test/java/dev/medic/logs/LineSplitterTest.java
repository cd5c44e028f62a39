package dev.medic.logs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LineSplitterTest {
    /** Collects the lines as text (terminators shown as \n, \r) and the raw bytes as they would be logged. */
    private static final class Collector implements LineSplitter.Sink {
        final List<String> lines = new ArrayList<>();
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();

        @Override
        public void line(byte[] buf, int off, int contentLen, int termLen, boolean continues) {
            String text = new String(buf, off, contentLen, StandardCharsets.UTF_8);
            String term = new String(buf, off + contentLen, termLen, StandardCharsets.UTF_8)
                    .replace("\r", "\\r").replace("\n", "\\n");
            lines.add(text + term);
            raw.write(buf, off, contentLen + termLen);
        }
    }

    private static Collector split(String input, int maxLine, int chunk) {
        Collector c = new Collector();
        LineSplitter s = new LineSplitter(maxLine, c);
        byte[] b = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) {
            s.feed(b, i, Math.min(chunk, b.length - i));
        }
        s.finish();
        return c;
    }

    @Test
    void cutsAtNewlinesCarriageReturnsAndBoth() {
        String in = "epoch 1\nloss 0.5\r\n 10%|#   |\r 20%|##  |\rdone";
        List<String> expected = List.of("epoch 1\\n", "loss 0.5\\r\\n", " 10%|#   |\\r", " 20%|##  |\\r", "done");
        for (int chunk = 1; chunk <= in.length(); chunk++) {
            assertEquals(expected, split(in, 1024, chunk).lines, "chunk size " + chunk);
        }
    }

    @Test
    void crlfSplitAcrossChunksIsOneTerminator() {
        Collector c = new Collector();
        LineSplitter s = new LineSplitter(1024, c);
        s.feed("abc\r".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertEquals(List.of(), c.lines, "a trailing \\r waits for the next byte");
        s.feed("\nxyz\n".getBytes(StandardCharsets.UTF_8), 0, 5);
        assertEquals(List.of("abc\\r\\n", "xyz\\n"), c.lines);
    }

    @Test
    void longLinesAreCutIntoPiecesOfTheLimit() {
        String in = "a".repeat(10) + "\n" + "b".repeat(4) + "\n";
        for (int chunk = 1; chunk <= in.length(); chunk++) {
            assertEquals(List.of("aaaa", "aaaa", "aa\\n", "bbbb\\n"), split(in, 4, chunk).lines, "chunk " + chunk);
        }
    }

    @Test
    void everyByteComesOutOnceInOrderWhateverTheChunking() {
        Random r = new Random(42);
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            int k = r.nextInt(40);
            data[i] = (byte) (k == 0 ? '\n' : k == 1 ? '\r' : k == 2 ? 0 : k == 3 ? (byte) 0xff : 'a' + k);
        }
        for (int chunk : new int[] {1, 7, 4096, 65536, 200_000}) {
            Collector c = new Collector();
            LineSplitter s = new LineSplitter(100, c);
            for (int i = 0; i < data.length; i += chunk) {
                s.feed(data, i, Math.min(chunk, data.length - i));
            }
            s.finish();
            assertArrayEquals(data, c.raw.toByteArray(), "chunk " + chunk);
        }
    }

    @Test
    void emptyLinesAreLines() {
        assertEquals(List.of("\\n", "\\n", "x\\n"), split("\n\nx\n", 10, 3).lines);
    }
}
