package dev.medic.logs;

import dev.medic.facts.Signature;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What a child may write, for the log pipeline's property tests: printable text, every kind of
 * line end, NUL, escape sequences, invalid UTF-8, long runs without a newline; and the ways a
 * backend may hand it over (chunks of any size, empty ones included).
 */
public final class LogBytes {
    private static final String[] COLOURS = {"\u001b[31m", "\u001b[1;33m", "\u001b[0m", "\u001b[K", "\u001b]0;title\u0007"};

    /** Takes one chunk: {@code b[off, off+len)}. */
    public interface Chunks {
        void feed(byte[] b, int off, int len);
    }

    private LogBytes() {
    }

    /** Arbitrary bytes, mostly printable, with line ends, control bytes and non-ASCII bytes mixed in. */
    public static Arbitrary<byte[]> output() {
        return output(3000, 24);
    }

    /** As {@link #output()}, runs of one byte at most {@code maxRun} long, at most {@code maxParts} pieces. */
    public static Arbitrary<byte[]> output(int maxRun, int maxParts) {
        Arbitrary<Byte> any = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.bytes().between((byte) 0x20, (byte) 0x7e)),
                Tuple.of(2, Arbitraries.of((byte) '\n', (byte) '\r')),
                Tuple.of(1, Arbitraries.of((byte) 0, (byte) 0x1b, (byte) '\t')),
                Tuple.of(2, Arbitraries.bytes()));
        Arbitrary<byte[]> bytes = any.array(byte[].class).ofMaxSize(80);
        Arbitrary<byte[]> run = Combinators.combine(any, Arbitraries.integers().between(1, maxRun).withDistribution(
                RandomDistribution.biased())).as(LogBytes::repeat);
        Arbitrary<byte[]> fixed = Arbitraries.of("\r\n", "\r", "\n", "\r\r\n", "\n\r", "\u001b[31mred\u001b[0m", "é", "\u00ff\u00fe",
                "100%|##########| 10/10\r").map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(Tuple.of(6, bytes), Tuple.of(1, run), Tuple.of(3, fixed))
                .list().ofMaxSize(maxParts).map(LogBytes::concat);
    }

    /** Chunk sizes for handing input over, used in turn; zero-length chunks included. */
    public static Arbitrary<List<Integer>> chunking() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(1, 16)),
                Tuple.of(2, Arbitraries.integers().between(17, 5000)),
                Tuple.of(1, Arbitraries.just(0))).list().ofMinSize(1).ofMaxSize(12);
    }

    /**
     * Hands {@code input} to {@code feed} in chunks of the given sizes (in turn), each chunk inside
     * a larger buffer at a non-zero offset, the buffer overwritten right after the call: a reader
     * that looks outside its slice, or keeps the caller's buffer, sees garbage.
     */
    public static void feed(byte[] input, List<Integer> sizes, Chunks to) {
        int at = 0;
        int k = 0;
        int idle = 0;
        while (at < input.length) {
            int n = Math.min(sizes.get(k++ % sizes.size()), input.length - at);
            // a cycle of zero-length chunks would never end: move on with the rest at once
            idle = n == 0 ? idle + 1 : 0;
            if (idle > sizes.size()) {
                n = input.length - at;
            }
            byte[] buf = new byte[n + 7];
            Arrays.fill(buf, (byte) '\r');
            System.arraycopy(input, at, buf, 3, n);
            to.feed(buf, 3, n);
            Arrays.fill(buf, (byte) '#');
            at += n;
        }
    }

    /**
     * Lines that the given signatures' patterns mostly match (sampled from the patterns), padded
     * with other text, some with letters in the other case and colour codes in them, as real
     * output has.
     */
    public static Arbitrary<String> catalogLines(List<Signature> signatures) {
        Arbitrary<String> pad = Arbitraries.strings().withChars("abz AZ:='\"-_./0123456789\té\u212A").ofMaxLength(12);
        return Combinators.combine(Arbitraries.of(signatures), pad, pad, Arbitraries.longs()).as((s, before, after, seed) -> {
            Random r = new Random(seed);
            return vary(before + RegexSampler.sample(s.getPattern().pattern(), r) + after, r);
        });
    }

    private static String vary(String line, Random r) {
        StringBuilder b = new StringBuilder();
        boolean flip = r.nextInt(3) == 0;
        boolean colour = r.nextInt(4) == 0;
        for (char c : line.toCharArray()) {
            if (colour && r.nextInt(8) == 0) {
                b.append(COLOURS[r.nextInt(COLOURS.length)]);
            }
            b.append(flip && r.nextInt(4) == 0 ? (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
        }
        return b.toString();
    }

    static byte[] repeat(byte b, int n) {
        byte[] r = new byte[n];
        Arrays.fill(r, b);
        return r;
    }

    public static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
