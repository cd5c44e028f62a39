package dev.medic.logs;

import dev.medic.facts.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScreenedLogTest {
    private static final int MAX_LINE = 100;
    private static final List<String> FAILURES = List.of(
            "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB",
            "ModuleNotFoundError: No module named 'flash_attn'",
            "OSError: [Errno 28] No space left on device: '/ckpt/optimizer.pt'");

    @TempDir
    Path tmp;

    private static Screen screen() {
        List<Signature> sigs = new ArrayList<>();
        String[] anchors = {"cuda out of memory", "no module named", "no space left on device"};
        for (int i = 0; i < anchors.length; i++) {
            sigs.add(new Signature("f" + i, 0, "", Pattern.compile(Pattern.quote(anchors[i]), Pattern.CASE_INSENSITIVE),
                    null, Set.of(), null, List.of(anchors[i]), false, false));
        }
        return new Screen(sigs);
    }

    /** "lineNo: text" of every line the screen wants, in the order the sink got them. */
    private static List<String> read(Path log, ScreenedLog.Reading reading) throws Exception {
        List<String> got = new ArrayList<>();
        ScreenedLog.read(log, MAX_LINE, screen(), reading,
                (n, b, off, len, hits) -> got.add(n + ": " + new String(b, off, len, StandardCharsets.UTF_8)));
        return got;
    }

    @Test
    void rangesReadOnSeveralThreadsGiveTheSameLinesAndNumbersAsOnePass() throws Exception {
        TrickyLog tricky = TrickyLog.build(MAX_LINE, 700, 60, FAILURES);
        Path log = tricky.write(tmp.resolve("tricky.log"));
        List<String> sequential = read(log, ScreenedLog.Reading.sequential());
        List<Long> numbers = sequential.stream().map(s -> Long.parseLong(s.substring(0, s.indexOf(':')))).toList();
        assertEquals(tricky.planted().stream().map(TrickyLog.Planted::lineNo).toList(), numbers,
                "one pass finds every planted line at the number counted when it was written");
        for (int threads : new int[] {2, 3, 8}) {
            for (long range : new long[] {1, 2, 37, 699, 700, 701, 4096, Files.size(log) - 1}) {
                assertEquals(sequential, read(log, new ScreenedLog.Reading(threads, range)),
                        threads + " threads, ranges of " + range + " bytes");
            }
        }
    }

    @Test
    void aRangeWithMoreCandidatesThanItHoldsIsReadAgainInOrder() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            b.append(i % 3 == 0 ? "step " + i + "\r" : "CUDA out of memory " + i + "\n");
        }
        Path log = Files.writeString(tmp.resolve("dense.log"), b);
        List<String> sequential = read(log, ScreenedLog.Reading.sequential());
        assertEquals(40_000, sequential.size());
        assertEquals("60000: CUDA out of memory 59999", sequential.get(sequential.size() - 1));
        assertEquals(sequential, read(log, new ScreenedLog.Reading(2, 1 << 20)));
        assertEquals(sequential, read(log, new ScreenedLog.Reading(4, 1000)));
    }

    @Test
    void emptyAndUnterminatedFilesAreRead() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.log"), "");
        assertTrue(read(empty, new ScreenedLog.Reading(2, 1)).isEmpty());
        Path bare = Files.writeString(tmp.resolve("bare.log"), "\r\n\rno space left on device");
        assertEquals(List.of("3: no space left on device"), read(bare, new ScreenedLog.Reading(2, 1)));
    }
}
