package dev.medic.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code medic replay} of a 1.1 GB generated log (the plain one, or the one with near-miss words) beside {@code grep -E -c -i} with the alternation
 * of the catalog's anchors, both as whole processes, taking turns (grep, medic, grep, medic, ...)
 * so that the page cache and the machine's load treat them alike. The log is written by the same
 * seeded {@link LogGenerator} as the 1,000,000-line one, only longer, and deleted afterwards.
 */
final class BigReplay {
    static final long LINES = 9_100_000;

    /** Wall times in nanoseconds, in the order they were taken. */
    record Result(LogGenerator.Stats input, List<Long> medic, List<Long> grep, String root, long grepCount) {
        long medicMedian() {
            return median(medic);
        }

        long grepMedian() {
            return median(grep);
        }

        private static long median(List<Long> xs) {
            List<Long> s = new ArrayList<>(xs);
            s.sort(null);
            return s.get((s.size() - 1) / 2);
        }
    }

    private final Launcher launcher;
    private final Path scratch;

    BigReplay(Launcher launcher, Path scratch) {
        this.launcher = launcher;
        this.scratch = scratch;
    }

    /** @param nearMiss the log with near-miss words on one line in six ({@link LogGenerator#writeNearMiss}) */
    Result measure(String grepPattern, int runs, boolean nearMiss) throws IOException, InterruptedException {
        Path log = scratch.resolve(nearMiss ? "big-replay-near-miss.log" : "big-replay.log");
        try {
            long t0 = System.nanoTime();
            LogGenerator.Stats input = nearMiss ? LogGenerator.writeNearMiss(log, LINES) : LogGenerator.write(log, LINES);
            Bench.progress("big replay: generated %,d lines (%.2f GB) in %.1f s", input.lines(), input.bytes() / 1e9,
                    (System.nanoTime() - t0) / 1e9);
            List<String> grep = ReplayThroughput.grepCommand(grepPattern, log);
            List<String> medic = launcher.medic("replay", log.toString(), "--exit-code", "1");
            List<Long> medicTimes = new ArrayList<>();
            List<Long> grepTimes = new ArrayList<>();
            String root = null;
            long count = -1;
            for (int i = 0; i < runs; i++) {
                Launcher.Timed g = launcher.checked(grep, Map.of("LC_ALL", "C"), 1);
                count = Long.parseLong(g.output().strip());
                grepTimes.add(g.nanos());
                Launcher.Timed m = launcher.checked(medic, Map.of(), 0);
                medicTimes.add(m.nanos());
                root = ReplayThroughput.failureLine(m.output());
                Bench.progress("big replay %d: grep %.3f s, medic %.3f s (%.2fx)", i + 1, g.nanos() / 1e9, m.nanos() / 1e9,
                        (double) m.nanos() / g.nanos());
            }
            return new Result(input, List.copyOf(medicTimes), List.copyOf(grepTimes), root, count);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
