package dev.medic.bench;

import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.facts.Context;
import dev.medic.facts.Failure;
import dev.medic.facts.FixDecision;
import dev.medic.fix.FixRegistry;
import dev.medic.logs.Ansi;
import dev.medic.logs.LineSplitter;
import dev.medic.logs.Screen;
import dev.medic.logs.ScreenedLog;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.supervise.Replayer;
import dev.medic.supervise.Verdict;
import dev.medic.util.SourceLocation;

import com.sun.management.OperatingSystemMXBean;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replay throughput: a generated log of {@code lines} lines run through medic's screen and rules
 * (a {@link Replayer} in this JVM, after warm-up; and {@code medic replay} as a whole process),
 * beside {@code grep -E -c -i} with an alternation of the catalog's literal anchors, the cheapest
 * tool that answers the same first question ("which lines could be a failure?").
 */
final class ReplayThroughput {
    private static final int MAX_LINE = 64 * 1024;
    private static final Pattern FAILURE_LINE = Pattern.compile("(?m)^failure: (\\S+)");

    /**
     * @param inJvmNanos  the measured in-process replays (on every core, as medic replay reads), sorted
     * @param inJvmCpuNanos this JVM's CPU time in each of them (all threads), sorted
     * @param sequentialNanos one more replay read front to back on one thread
     * @param sameAsSequential whether that replay judged exactly as the parallel ones (failures, evidence lines, decision)
     * @param processNanos best whole-process {@code medic replay}
     * @param grepNanos   best whole-process grep
     * @param grepCount   what grep -c printed
     * @param screenCount the {@code \n}-lines medic's byte screen passes (must equal grepCount)
     * @param splitLines  the lines medic's splitter cuts ({@code \r} ends a line too)
     * @param ruleLines   of those, the ones a signature matches: each goes through the rule session
     */
    record Result(LogGenerator.Stats input, int warmUps, List<Long> inJvmNanos, List<Long> inJvmCpuNanos, long sequentialNanos,
                  boolean sameAsSequential, String root, List<String> failures, String decision, String grepPattern, long processNanos, int processRuns, String processRoot, long grepNanos,
                  int grepRuns, long grepCount, long screenCount, long splitLines, long ruleLines, int anchors) {
        long median() {
            return inJvmNanos.get((inJvmNanos.size() - 1) / 2);
        }

        long best() {
            return inJvmNanos.get(0);
        }

        /** The median CPU time of the JVM (all threads) in a replay: less at the mercy of other processes than the wall time. */
        long medianCpu() {
            return inJvmCpuNanos.get((inJvmCpuNanos.size() - 1) / 2);
        }

        double perSecond(long nanos) {
            return input.lines() / (nanos / 1e9);
        }

        double mbPerSecond(long nanos) {
            return input.bytes() / 1e6 / (nanos / 1e9);
        }
    }

    private final Path repo;
    private final Path scratch;
    private final Launcher launcher;

    ReplayThroughput(Path repo, Path scratch, Launcher launcher) {
        this.repo = repo;
        this.scratch = scratch;
        this.launcher = launcher;
    }

    Result measure(long lines, int warmUps, int measured, int processRuns, int grepRuns)
            throws IOException, InterruptedException {
        Path log = scratch.resolve("replay.log");
        long t0 = System.nanoTime();
        LogGenerator.Stats input = LogGenerator.write(log, lines);
        Bench.progress("replay: generated %,d lines (%.1f MB) in %.1f s", input.lines(), input.bytes() / 1e6,
                (System.nanoTime() - t0) / 1e9);

        List<String> anchors = printAnchors();
        String pattern = ereAlternation(anchors);
        List<String> grep = grepCommand(pattern, log);
        Path commandFile = repo.resolve("bench/out/grep-command.txt");
        Files.createDirectories(commandFile.getParent());
        Files.writeString(commandFile, "LC_ALL=C " + String.join(" ", grep.stream().map(ReplayThroughput::shellQuote).toList()) + "\n");

        Map<String, String> env = System.getenv();
        SourceLocation catalogAt = SourceLocation.find("catalog", ".yaml", repo.resolve("catalog"), env, null);
        SourceLocation rulesAt = SourceLocation.find("rules", ".drl", repo.resolve("rules"), env, null);
        Catalog catalog = new CatalogLoader().load(catalogAt.read());

        List<Long> times = new ArrayList<>();
        List<Long> cpuTimes = new ArrayList<>();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Verdict verdict = null;
        long sequentialNanos;
        boolean sameAsSequential;
        RuleSet rules = new RuleCompiler().compile(rulesAt.read());
        try {
            Replayer replayer = new Replayer(catalog, rules, FixRegistry.standard());
            for (int i = 0; i < warmUps + measured; i++) {
                long cpuStart = os.getProcessCpuTime();
                long start = System.nanoTime();
                verdict = replayer.replay(log, 1, null, Context.unknown(), MAX_LINE);
                long took = System.nanoTime() - start;
                long cpu = os.getProcessCpuTime() - cpuStart;
                if (i >= warmUps) {
                    times.add(took);
                    cpuTimes.add(cpu);
                }
                Bench.progress("replay: in process, %s %d: %.3f s, %,.0f lines/s (JVM CPU %.3f s)",
                        i < warmUps ? "warm-up" : "run", i < warmUps ? i + 1 : i + 1 - warmUps, took / 1e9,
                        input.lines() / (took / 1e9), cpu / 1e9);
            }
            long start = System.nanoTime();
            Verdict sequential = replayer.reading(ScreenedLog.Reading.sequential()).replay(log, 1, null, Context.unknown(), MAX_LINE);
            sequentialNanos = System.nanoTime() - start;
            sameAsSequential = judged(sequential).equals(judged(verdict));
            Bench.progress("replay: in process, read on one thread: %.3f s, %,.0f lines/s, same verdict: %s",
                    sequentialNanos / 1e9, input.lines() / (sequentialNanos / 1e9), sameAsSequential);
        } finally {
            rules.dispose();
        }
        times.sort(null);
        cpuTimes.sort(null);
        // after the timed replays, so that its own line sink does not share the splitter's JIT profile with them
        long[] screened = screenCounts(log, new Screen(catalog.signatures()));
        String root = verdict.root() == null ? null : verdict.root().getId();
        List<String> failures = verdict.failures().stream().map(Failure::getId).toList();
        String decision = verdict.decision() == null ? null
                : verdict.decision().getFixId() + (verdict.decision().getParams().isEmpty() ? "" : " " + verdict.decision().getParams());

        long processBest = Long.MAX_VALUE;
        String processRoot = null;
        List<String> medic = launcher.medic("replay", log.toString(), "--exit-code", "1");
        for (int i = 0; i < processRuns; i++) {
            Launcher.Timed run = launcher.checked(medic, Map.of(), 0);
            processRoot = failureLine(run.output());
            processBest = Math.min(processBest, run.nanos());
            Bench.progress("replay: whole process %d: %.3f s", i + 1, run.nanos() / 1e9);
        }

        long grepBest = Long.MAX_VALUE;
        long grepCount = -1;
        for (int i = 0; i < grepRuns; i++) {
            // C locale: grep then folds ASCII case only and matches bytes, as medic's screen does
            Launcher.Timed run = launcher.checked(grep, Map.of("LC_ALL", "C"), 1);
            grepCount = Long.parseLong(run.output().strip());
            grepBest = Math.min(grepBest, run.nanos());
            Bench.progress("replay: grep %d: %.3f s, %,d lines", i + 1, run.nanos() / 1e9, grepCount);
        }
        return new Result(input, warmUps, List.copyOf(times), List.copyOf(cpuTimes), sequentialNanos, sameAsSequential, root, failures,
                decision, pattern, processBest, processRuns,
                processRoot, grepBest, grepRuns, grepCount, screened[0], screened[1], screened[2], anchors.size());
    }

    /** The catalog's anchors, as {@code medic check --print-anchors} prints them (trailing spaces count). */
    private List<String> printAnchors() throws IOException, InterruptedException {
        Launcher.Timed run = launcher.checked(launcher.medic("check", "--print-anchors", "--catalog",
                repo.resolve("catalog").toString()), Map.of(), 0);
        List<String> anchors = run.output().lines().filter(l -> !l.isEmpty()).toList();
        if (anchors.isEmpty()) {
            throw new IllegalStateException("medic check --print-anchors printed no anchors");
        }
        return anchors;
    }

    /** What a replay printed and decided: each failure with its evidence lines, and the decision. */
    private static String judged(Verdict v) {
        StringBuilder b = new StringBuilder();
        for (Failure f : v.failures()) {
            b.append(f.getId()).append(f.isRoot() ? " root " : " ").append(f.getMatchCount()).append(' ')
                    .append(f.getEvidence().stream().map(e -> e.lineNo() + ":" + e.text()).toList()).append('\n');
        }
        FixDecision d = v.decision();
        return b.append(d == null ? "none" : d.getFixId() + " " + d.getParams() + " " + d.getReason()).toString();
    }

    /** {@code grep -E -c -i PATTERN LOG}, to be run with LC_ALL=C (grep then folds ASCII case only and matches bytes, as medic's screen does). */
    static List<String> grepCommand(String pattern, Path log) {
        return List.of("grep", "-E", "-c", "-i", pattern, log.toString());
    }

    /** The failure a text {@code medic replay} printed ({@code failure: ID}). */
    static String failureLine(String output) {
        Matcher m = FAILURE_LINE.matcher(output);
        return m.find() ? m.group(1) : "(no failure line in its output)";
    }

    /** {@code a1|a2|...}, each literal escaped for POSIX extended regular expressions. */
    static String ereAlternation(List<String> literals) {
        StringBuilder b = new StringBuilder();
        for (String lit : literals) {
            if (b.length() > 0) {
                b.append('|');
            }
            for (char c : lit.toCharArray()) {
                if (".[]()*+?{}|^$\\".indexOf(c) >= 0) {
                    b.append('\\');
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./=:-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Untimed, for the sanity row: [0] {@code \n}-lines the byte screen passes (what grep -c counts
     * when the screen and the alternation agree), [1] lines medic's splitter cuts, [2] lines a
     * signature matches (those reach the rule session).
     */
    private static long[] screenCounts(Path log, Screen screen) throws IOException {
        long[] counts = new long[3];
        LineSplitter splitter = new LineSplitter(MAX_LINE, (b, off, len, term, continues) -> {
            counts[1]++;
            if (screen.mayMatch(b, off, len)
                    && !screen.match(Ansi.strip(new String(b, off, len, StandardCharsets.UTF_8)), null).isEmpty()) {
                counts[2]++;
            }
        });
        byte[] carry = new byte[MAX_LINE];
        int carryLen = 0;
        byte[] buf = new byte[256 * 1024];
        try (InputStream in = Files.newInputStream(log)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                splitter.feed(buf, 0, n);
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        continue;
                    }
                    boolean hit;
                    if (carryLen > 0) {
                        carry = fit(carry, carryLen + i - start);
                        System.arraycopy(buf, start, carry, carryLen, i - start);
                        hit = screen.mayMatch(carry, 0, carryLen + i - start);
                        carryLen = 0;
                    } else {
                        hit = screen.mayMatch(buf, start, i - start);
                    }
                    if (hit) {
                        counts[0]++;
                    }
                    start = i + 1;
                }
                carry = fit(carry, carryLen + n - start);
                System.arraycopy(buf, start, carry, carryLen, n - start);
                carryLen += n - start;
            }
        }
        splitter.finish();
        if (carryLen > 0 && screen.mayMatch(carry, 0, carryLen)) {
            counts[0]++;
        }
        return counts;
    }

    private static byte[] fit(byte[] b, int len) {
        return len <= b.length ? b : java.util.Arrays.copyOf(b, Math.max(len, b.length * 2));
    }
}
