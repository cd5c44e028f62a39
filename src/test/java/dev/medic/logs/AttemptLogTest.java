package dev.medic.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --max-log-size on real files: the first half and the last half, a marker between, memory and disk bounded. */
class AttemptLogTest {
    private static final long BUDGET = 1 << 20;

    @TempDir
    Path tmp;

    /** Lines of 0 to 300 bytes ending in \n, \r\n or a lone \r, and now and then a line of 200 KB (split into pieces). */
    private static byte[] output(long seed, int size) {
        return output(seed, size, 997);
    }

    private static byte[] output(long seed, int size, int longEvery) {
        Random r = new Random(seed);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int n = 0;
        while (b.size() < size) {
            n++;
            int len = n % longEvery == 0 ? 200_000 : r.nextInt(300);
            b.writeBytes(String.format("%08d ", n).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < len; i++) {
                b.write('a' + r.nextInt(26));
            }
            int end = r.nextInt(20);
            b.writeBytes(end == 0 ? new byte[] {'\r'} : end == 1 ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        }
        return b.toByteArray();
    }

    /** Feeds {@code out} to the log as medic does: cut into lines, in chunks of 8 KB, flushed after each. */
    private static AttemptLog feed(AttemptLog log, byte[] out, int from, int to) throws IOException {
        LineSplitter s = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE, (b, off, len, term, cont) -> {
            try {
                log.append("stdout", b, off, len + term, cont);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        for (int i = from; i < to; i += 8192) {
            s.feed(out, i, Math.min(8192, to - i));
            log.flush();
        }
        s.finish();
        return log;
    }

    @Test
    void overTheLimitTheLogIsTheHeadAMarkerAndTheTailByteExact() throws Exception {
        byte[] out = output(1, 6_000_000);
        Path path = tmp.resolve("attempt-1.log");
        AttemptLog log = feed(new AttemptLog(path, BUDGET), out, 0, out.length);
        log.close();

        TruncatedLog t = TruncatedLog.read(path);
        t.check(out, BUDGET);
        assertEquals(t.droppedBytes(), log.droppedBytes());
        assertEquals(t.droppedLines(), log.droppedLines());
        assertEquals(out.length, log.bytes(), "bytes counts the output, kept or not");
        assertEquals(TruncatedLog.lineEnds(out, 0, out.length), log.lines(), "lines counts every line of the output");
        assertTrue(Files.size(path) <= BUDGET + 300, "the file holds the budget and one marker line: " + Files.size(path));
        assertEquals(List.of(), TruncatedLog.sideFiles(path), "the side files are gone once joined");
    }

    @Test
    void outputThatFitsIsKeptWholeWithNoMarker() throws Exception {
        // more than the first half, so the side files are used, but less than the whole budget
        byte[] out = output(2, 900_000, Integer.MAX_VALUE);
        Path path = tmp.resolve("attempt-1.log");
        AttemptLog log = feed(new AttemptLog(path, BUDGET), out, 0, out.length);
        log.close();
        assertArrayEquals(out, Files.readAllBytes(path));
        assertEquals(0, log.droppedBytes());
        assertEquals(0, log.droppedLines());
        assertEquals(List.of(), TruncatedLog.sideFiles(path));
    }

    @Test
    void aHeadThatEndsInsideALongLineGetsTheMarkerOnALineOfItsOwn() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (b.size() < 450_000) {
            b.writeBytes("short line\n".getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes("L".repeat(300_000).getBytes(StandardCharsets.US_ASCII));
        b.write('\n');
        while (b.size() < 3_000_000) {
            b.writeBytes("after the long line\n".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] out = b.toByteArray();
        Path path = tmp.resolve("attempt-1.log");
        feed(new AttemptLog(path, BUDGET), out, 0, out.length).close();
        TruncatedLog t = TruncatedLog.read(path);
        t.check(out, BUDGET);
        byte[] file = Files.readAllBytes(path);
        int marker = new String(file, StandardCharsets.ISO_8859_1).indexOf("[medic: dropped ");
        assertEquals("LL\n", new String(file, marker - 3, 3, StandardCharsets.US_ASCII), "the cut line, then medic's newline");
    }

    @Test
    void aKilledMedicLeavesThePrefixInTheLogAndTheNewestOutputInTheSideFiles() throws Exception {
        byte[] out = output(3, 4_000_000);
        Path path = tmp.resolve("attempt-1.log");
        // never closed, as when medic is killed: only what each flush handed to the system counts
        AttemptLog log = feed(new AttemptLog(path, BUDGET), out, 0, out.length);
        byte[] head = Files.readAllBytes(path);
        assertTrue(head.length > 0 && head.length <= BUDGET / 2);
        assertTrue(Arrays.equals(head, 0, head.length, out, 0, head.length), "the log is a prefix of the output");
        List<Path> sides = TruncatedLog.sideFiles(path);
        assertTrue(sides.size() >= 2 && sides.size() <= 9, "a ring of side files: " + sides);
        byte[] newest = TruncatedLog.joinedSideFiles(path);
        assertTrue(newest.length <= BUDGET / 2 && newest.length > BUDGET / 4, "the side files hold about the last half: " + newest.length);
        assertArrayEquals(Arrays.copyOfRange(out, out.length - newest.length, out.length), newest,
                "the side files, in name order, are the end of the output");
        log.close();
        TruncatedLog.read(path).check(out, BUDGET);
    }

    @Test
    void aLogResumedFromAnOlderStateGoesOnFromThereByteForByte() throws Exception {
        for (long budget : new long[] {0, BUDGET}) {
            byte[] out = output(5, 4_000_000);
            Path path = tmp.resolve("attempt-" + budget + ".log");
            Path state = tmp.resolve("attempt-" + budget + ".state");
            AttemptLog killed = new AttemptLog(path, budget);
            killed.keepResumeState(state);
            LineSplitter s = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE, (b, off, len, term, cont) -> {
                try {
                    killed.append("stdout", b, off, len + term, cont);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            for (int i = 0; i < 2_600_000; i += 8192) {
                s.feed(out, i, 8192);
                killed.flush();
                if (i == 1_500_000 - 1_500_000 % 8192) {
                    // the state from here on is lost, as when medic dies between writing the log and its state;
                    // with a limit the ring has meanwhile dropped side files this state still names
                    Files.copy(state, tmp.resolve("older"));
                }
            }
            Files.copy(tmp.resolve("older"), state, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.delete(tmp.resolve("older"));

            AttemptLog resumed = AttemptLog.resume(path, budget, state);
            long from = resumed.savedBytes("stdout");
            assertTrue(from > 1_000_000 && from <= 1_510_000, "goes on from the older state: " + from);
            feed(resumed, out, (int) from, out.length).close();
            if (budget == 0) {
                assertArrayEquals(out, Files.readAllBytes(path), "every byte once");
            } else {
                TruncatedLog.read(path).check(out, budget);
                assertEquals(List.of(), TruncatedLog.sideFiles(path));
            }
            assertEquals(out.length, resumed.bytes());
            assertEquals(TruncatedLog.lineEnds(out, 0, out.length), resumed.lines(), "lines numbered on");
        }
    }

    @Test
    void withoutALimitNothingIsDropped() throws Exception {
        byte[] out = output(4, 3_000_000);
        Path path = tmp.resolve("attempt-1.log");
        AttemptLog log = feed(new AttemptLog(path), out, 0, out.length);
        log.close();
        assertArrayEquals(out, Files.readAllBytes(path));
        assertEquals(0, log.droppedBytes());
    }
}
