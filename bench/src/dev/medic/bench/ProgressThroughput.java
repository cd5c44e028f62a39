package dev.medic.bench;

import dev.medic.catalog.CatalogLoader;
import dev.medic.logs.LineSplitter;
import dev.medic.progress.Progress;
import dev.medic.progress.ProgressParser;
import dev.medic.util.SourceLocation;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Progress parsing throughput: the lines of a generated training log cut by medic's line splitter
 * and read by the catalog's progress patterns the way the supervisor reads them: the raw-byte
 * screen first, then decoding and {@link ProgressParser#parse} for the lines it passes. Two logs
 * of the replay benchmark's generator: a busy one, where 1% of the training lines are progress and
 * the rest chatter (NCCL INFO, data-loader debug lines), and the generator's own, where nearly every
 * line is progress (tqdm redraws, Hugging Face dicts, DeepSpeed and Lightning INFO lines, plain
 * {@code step N loss X} lines): the worst case.
 */
final class ProgressThroughput {
    private static final int MAX_LINE = 64 * 1024;

    /**
     * @param nanos     the measured passes, sorted
     * @param cpuNanos  the parsing thread's CPU time in each, sorted
     * @param splitLines lines the splitter cuts ({@code \r} ends a line too)
     * @param screened  of those, the lines the byte screen passes to the parser
     * @param parsed    of those, the lines that gave progress
     */
    record Result(LogGenerator.Stats input, int warmUps, List<Long> nanos, List<Long> cpuNanos, long splitLines,
                  long screened, long parsed, int patterns) {
        long median() {
            return nanos.get((nanos.size() - 1) / 2);
        }

        long medianCpu() {
            return cpuNanos.get((cpuNanos.size() - 1) / 2);
        }

        /** Split lines a second. */
        double perSecond(long nanos) {
            return splitLines / (nanos / 1e9);
        }
    }

    private final Path repo;
    private final Path scratch;

    ProgressThroughput(Path repo, Path scratch) {
        this.repo = repo;
        this.scratch = scratch;
    }

    /** The busy log: 1% of the training lines are progress. */
    Result measureBusy(long lines, int warmUps, int runs) throws IOException {
        Path log = scratch.resolve("progress-busy.log");
        try {
            return measure(LogGenerator.writeSparse(log, lines, 1), log, warmUps, runs);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The generator's own log: nearly every line is progress. */
    Result measureDense(long lines, int warmUps, int runs) throws IOException {
        Path log = scratch.resolve("progress-dense.log");
        try {
            return measure(LogGenerator.write(log, lines), log, warmUps, runs);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private Result measure(LogGenerator.Stats stats, Path log, int warmUps, int runs) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        ProgressParser parser = new CatalogLoader().load(SourceLocation.find("catalog", ".yaml", repo.resolve("catalog"),
                Map.of(), null).read()).progress();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Long> nanos = new ArrayList<>();
        List<Long> cpu = new ArrayList<>();
        long[] counts = null;
        for (int i = 0; i < warmUps + runs; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            counts = pass(parser, bytes);
            long took = System.nanoTime() - start;
            long cpuTook = threads.getCurrentThreadCpuTime() - cpuStart;
            if (i >= warmUps) {
                nanos.add(took);
                cpu.add(cpuTook);
            }
        }
        Collections.sort(nanos);
        Collections.sort(cpu);
        return new Result(stats, warmUps, nanos, cpu, counts[0], counts[1], counts[2], parser.patterns().size());
    }

    /** One pass over the log: [0] split lines, [1] lines the screen passed, [2] lines that gave progress. */
    private static long[] pass(ProgressParser parser, byte[] bytes) {
        long[] counts = new long[3];
        LineSplitter splitter = new LineSplitter(MAX_LINE, (b, off, len, term, continues) -> {
            counts[0]++;
            if (!parser.mayMatch(b, off, len)) {
                return;
            }
            counts[1]++;
            Progress p = parser.parse(new String(b, off, len, StandardCharsets.UTF_8));
            if (p != null) {
                counts[2]++;
            }
        });
        splitter.feed(bytes, 0, bytes.length);
        splitter.finish();
        return counts;
    }

    /** Runs this measurement alone: {@code java -cp medic.jar:target/bench-classes dev.medic.bench.ProgressThroughput}. */
    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("medic-bench-progress-");
        try {
            ProgressThroughput bench = new ProgressThroughput(Path.of("").toAbsolutePath(), scratch);
            Result busy = bench.measureBusy(Bench.PROGRESS_LINES, 2, 5);
            Result dense = bench.measureDense(Bench.PROGRESS_LINES, 2, 5);
            for (Bench.Row row : Bench.progressRows(busy, dense)) {
                System.out.println(row.markdown());
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
