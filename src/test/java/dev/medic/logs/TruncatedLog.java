package dev.medic.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A size-limited attempt log read back: the head, the one marker line, the tail. {@link #check}
 * holds it against the output the run really wrote, byte for byte, and the marker's numbers
 * against counts made here from that output.
 */
public final class TruncatedLog {
    private static final Pattern MARKER = Pattern.compile("\\[medic: dropped (\\d+) bytes \\((\\d+) lines\\) here; "
            + "--max-log-size (\\S+) kept the first (\\S+) and the last (\\S+); what follows starts in line (\\d+) of the output]\n");
    private static final byte[] START = "[medic: dropped ".getBytes(StandardCharsets.US_ASCII);

    private final byte[] file;
    private final int markerStart;
    private final int markerEnd;
    private final Matcher marker;

    private TruncatedLog(byte[] file, int markerStart, int markerEnd, Matcher marker) {
        this.file = file;
        this.markerStart = markerStart;
        this.markerEnd = markerEnd;
        this.marker = marker;
    }

    /** Reads a log that must hold exactly one marker line. */
    public static TruncatedLog read(Path log) throws IOException {
        byte[] b = Files.readAllBytes(log);
        int at = indexOf(b, START, 0);
        if (at < 0) {
            fail(log + " has no marker line");
        }
        assertEquals(-1, indexOf(b, START, at + 1), "one marker line only");
        int end = at;
        while (b[end] != '\n') {
            end++;
        }
        Matcher m = MARKER.matcher(new String(b, at, end + 1 - at, StandardCharsets.UTF_8));
        assertTrue(m.matches(), "marker: " + new String(b, at, end + 1 - at, StandardCharsets.UTF_8));
        return new TruncatedLog(b, at, end + 1, m);
    }

    public long droppedBytes() {
        return Long.parseLong(marker.group(1));
    }

    public long droppedLines() {
        return Long.parseLong(marker.group(2));
    }

    public byte[] tail() {
        return Arrays.copyOfRange(file, markerEnd, file.length);
    }

    /**
     * Asserts that the head is the start of {@code output} (a newline of medic's own put before the
     * marker only when the head ends inside a line), the tail its end, each within its half of
     * {@code budget}, and that the marker counts the dropped middle exactly, in medic's line numbering.
     */
    public void check(byte[] output, long budget) {
        int head = markerStart;
        if (!Arrays.equals(file, 0, head, output, 0, head)) {
            // the head ended inside a line: the marker was put on a line of its own
            head--;
            assertEquals('\n', file[head]);
            assertTrue(output[head - 1] != '\n' && output[head - 1] != '\r', "the extra newline only after a cut line");
        }
        assertTrue(Arrays.equals(file, 0, head, output, 0, head), "the head is the start of the output, byte for byte");
        byte[] tail = tail();
        int tailStart = output.length - tail.length;
        assertArrayEquals(tail, Arrays.copyOfRange(output, tailStart, output.length), "the tail is the end of the output, byte for byte");
        assertTrue(head <= budget / 2, "head " + head + " within the first half of " + budget);
        assertTrue(tail.length <= budget - budget / 2, "tail " + tail.length + " within the second half of " + budget);
        assertTrue(tail.length >= (budget / 2) * 3 / 4, "the tail uses most of its half: " + tail.length);
        assertEquals(tailStart - head, droppedBytes(), "dropped bytes");
        assertEquals(lineEnds(output, head, tailStart), droppedLines(), "dropped lines");
        assertEquals(lineEnds(output, 0, tailStart) + 1, Long.parseLong(marker.group(6)), "the line after the marker");
    }

    /** The side files of {@code log}, in name order (the order they were written). */
    public static List<Path> sideFiles(Path log) throws IOException {
        try (Stream<Path> s = Files.list(log.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(log.getFileName() + ".tail-")).sorted().toList();
        }
    }

    /** What the side files of {@code log} hold, joined in name order. */
    public static byte[] joinedSideFiles(Path log) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Path p : sideFiles(log)) {
            b.writeBytes(Files.readAllBytes(p));
        }
        return b.toByteArray();
    }

    /** Line ends in {@code [from, to)} as medic counts them: {@code \n}, {@code \r\n} (once), a lone {@code \r}. */
    public static long lineEnds(byte[] b, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' || (b[i] == '\r' && (i + 1 >= b.length || b[i + 1] != '\n'))) {
                n++;
            }
        }
        return n;
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = from; i <= b.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
