package dev.medic.bench;

import dev.medic.logs.ScreenedLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Medic's performance goals, measured against real child processes. Run from the repository root
 * (bench/run.sh does). Prints a Markdown table and writes it to bench/out/results.md; exits 1
 * when a goal is missed.
 */
public final class Bench {
    private static final long DECISION_GOAL_NANOS = 50_000_000L;
    private static final long RESTART_GOAL_NANOS = 1_000_000_000L;
    private static final double RESIDENT_GOAL_MB = 256;
    /** The first samples of a JVM run slower (class loading, JIT): they are dropped. */
    private static final int WARM_UP = 5;
    private static final int OFFERED_LINES_PER_SECOND = 50_000;
    private static final double CPU_GOAL_PERCENT = 25;
    private static final long REPLAY_LINES = 1_000_000;
    private static final double REPLAY_GOAL_LINES_PER_SECOND = 2_000_000;
    static final long PROGRESS_LINES = 1_000_000;
    /** The supervisor must read progress from 50,000 lines a second with a small share of one core. */
    private static final double PROGRESS_OFFERED_LINES_PER_SECOND = 50_000;
    /** At this rate, 50,000 lines a second cost 5% of one core. */
    private static final double PROGRESS_GOAL_LINES_PER_SECOND = 1_000_000;
    private static final double BIG_REPLAY_GOAL_RATIO = 4;
    private static final double STARTUP_GOAL_SECONDS = 1.5;
    private static final double REPORT_GOAL_SECONDS = 3;
    private static final double RUN_TO_CHILD_GOAL_SECONDS = 0.3;
    private static final double RUN_TRUE_GOAL_SECONDS = 0.6;

    record Row(String metric, String goal, String measured, String result) {
        String markdown() {
            return "| " + metric + " | " + goal + " | " + measured + " | " + result + " |";
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--write-log")) {
            // a generated log for measuring by hand: --write-log plain|near-miss FILE LINES
            long lines = Long.parseLong(args[3]);
            LogGenerator.Stats st = args[1].equals("near-miss") ? LogGenerator.writeNearMiss(Path.of(args[2]), lines)
                    : LogGenerator.write(Path.of(args[2]), lines);
            System.out.println(st);
            return;
        }
        boolean quick = false;
        boolean bigReplay = false;
        boolean startupOnly = false;
        boolean reportOnly = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("--big-replay")) {
                bigReplay = true;
            } else if (a.equals("--startup")) {
                startupOnly = true;
            } else if (a.equals("--report")) {
                reportOnly = true;
            } else {
                System.err.println("usage: bench/run.sh [--quick] [--big-replay] [--startup] [--report] | --write-log plain|near-miss FILE LINES");
                System.exit(2);
            }
        }
        // the 1.1 GB replay takes about a minute and 1.1 GB of scratch space: a full run has it, a quick one only when asked
        bigReplay |= !quick;
        int samples = quick ? 20 : 100;
        double seconds = quick ? 5 : 15;
        int replayWarmUps = quick ? 1 : 2;
        int replayRuns = quick ? 3 : 5;
        int processRuns = quick ? 1 : 3;
        int grepRuns = 3;
        int startupRuns = quick ? 5 : 9;
        int startupRunsWithoutArchive = quick ? 2 : 5;
        int bigReplayRuns = quick ? 2 : 3;
        int reportRuns = quick ? 3 : 5;

        Path repo = Path.of("").toAbsolutePath();
        String loadAtStart = loadAverage();
        Path scratch = Files.createTempDirectory("medic-bench-");
        List<Row> rows = new ArrayList<>();

        if (startupOnly) {
            // the start-up rows alone (a minute), to measure a change to the start
            rows.addAll(startup(new Launcher(repo), scratch, startupRuns, startupRunsWithoutArchive));
            finish(repo, scratch, rows, (quick ? "quick" : "full") + ", start-up rows only", 0, loadAtStart);
            return;
        }
        if (reportOnly) {
            // the report row alone (half a minute), to measure a change to medic report
            rows.add(report(new Launcher(repo), scratch, reportRuns));
            finish(repo, scratch, rows, (quick ? "quick" : "full") + ", report row only", 0, loadAtStart);
            return;
        }
        FailureLoop.Samples loop = new FailureLoop(repo, scratch).collect(samples + WARM_UP);
        Percentiles decision = Percentiles.of(measured(loop.decision(), samples));
        Percentiles restart = Percentiles.of(measured(loop.restart(), samples));
        Percentiles firstDecision = Percentiles.of(loop.firstDecision());
        Percentiles firstRestart = Percentiles.of(loop.firstRestart());
        rows.add(new Row("Failure line to decision", "p99 < 50 ms", decision.describe(),
                verdict(decision.p99() < DECISION_GOAL_NANOS)));
        rows.add(new Row("OOM exit to next attempt start, zero backoff", "p99 < 1 s", restart.describe(),
                verdict(restart.p99() < RESTART_GOAL_NANOS)));
        rows.add(new Row("Failure line to decision, attempt 1 (waits for the run's rule base: the shipped rules, compiled with medic)", "none",
                firstDecision.describe(), "info"));
        rows.add(new Row("OOM exit to attempt 2 start (includes that wait)", "none", firstRestart.describe(), "info"));

        Launcher launcher = new Launcher(repo);
        rows.addAll(startup(launcher, scratch, startupRuns, startupRunsWithoutArchive));
        rows.add(report(launcher, scratch, reportRuns));

        progress("footprint: supervising %.0f s of %,d lines/s", seconds, OFFERED_LINES_PER_SECOND);
        Footprint.Result fp = new Footprint(launcher, scratch).measure(seconds, OFFERED_LINES_PER_SECOND);
        rows.add(new Row("Resident memory while supervising (peak VmHWM)", "< 256 MB",
                String.format(Locale.ROOT, "%.1f MB peak, %.1f MB median VmRSS", fp.peakMb(), fp.medianRssMb()),
                verdict(fp.peakMb() < RESIDENT_GOAL_MB)));
        rows.add(new Row("Medic CPU while supervising, steady state (second half of the run)", "< 25% of one core",
                String.format(Locale.ROOT, "%.1f%% (%.1f%% over the whole run, JVM start and rule base included)",
                        fp.cpuLastHalf(), fp.cpuWhole()),
                verdict(fp.cpuLastHalf() < CPU_GOAL_PERCENT)));
        rows.add(new Row("Lines supervised", String.format(Locale.ROOT, "%,d lines/s offered", fp.offeredRate()),
                String.format(Locale.ROOT, "%,d lines at %,.0f lines/s over the attempt (the child's start included); the child's own rate, first line to last: %,.0f lines/s",
                        fp.lines(), fp.linesPerSecond(), fp.childLinesPerSecond()), "info"));

        progress("footprint: supervising %.0f s of %,d near-miss lines/s", seconds, OFFERED_LINES_PER_SECOND);
        Footprint.Result nearFp = new Footprint(launcher, scratch).measure(seconds, OFFERED_LINES_PER_SECOND, true);
        rows.add(new Row("Medic CPU while supervising near-miss output (one line in six holds an anchor inside a word), steady state",
                "< 25% of one core",
                String.format(Locale.ROOT, "%.1f%% (%.1f%% over the whole run); %,d lines at %,.0f lines/s, the child's own rate %,.0f lines/s",
                        nearFp.cpuLastHalf(), nearFp.cpuWhole(), nearFp.lines(), nearFp.linesPerSecond(), nearFp.childLinesPerSecond()),
                verdict(nearFp.cpuLastHalf() < CPU_GOAL_PERCENT)));

        progress("replay: %,d generated lines, %d warm-up + %d measured replays in process, best of %d whole process, best of %d grep",
                REPLAY_LINES, replayWarmUps, replayRuns, processRuns, grepRuns);
        ReplayThroughput.Result rp = new ReplayThroughput(repo, scratch, launcher).measure(REPLAY_LINES, replayWarmUps, replayRuns,
                processRuns, grepRuns);
        rows.addAll(replayRows(rp));

        progress("progress: two logs of %,d generated lines, %d warm-up + %d measured passes each, in process",
                PROGRESS_LINES, replayWarmUps, replayRuns);
        ProgressThroughput progressBench = new ProgressThroughput(repo, scratch);
        rows.addAll(progressRows(progressBench.measureBusy(PROGRESS_LINES, replayWarmUps, replayRuns),
                progressBench.measureDense(PROGRESS_LINES, replayWarmUps, replayRuns)));
        if (bigReplay) {
            progress("big replay: %,d generated lines, bin/medic replay and grep taking turns, %d runs each", BigReplay.LINES, bigReplayRuns);
            String loadBefore = loadAverage();
            BigReplay.Result big = new BigReplay(launcher, scratch).measure(rp.grepPattern(), bigReplayRuns, false);
            rows.add(bigReplayRow(big, "", loadBefore, loadAverage()));
            progress("big replay, near-miss words on one line in six: %,d generated lines, %d runs each", BigReplay.LINES, bigReplayRuns);
            loadBefore = loadAverage();
            BigReplay.Result near = new BigReplay(launcher, scratch).measure(rp.grepPattern(), bigReplayRuns, true);
            rows.add(bigReplayRow(near, String.format(Locale.ROOT, " with near-miss words (`nan`, `error`, `OOM`, `no space` inside other words) on %,d lines",
                    near.input().nearMissLines()), loadBefore, loadAverage()));
        } else {
            progress("big replay: skipped (--quick; add --big-replay to run it)");
        }

        finish(repo, scratch, rows, quick ? "quick" : "full", loop.runs(), loadAtStart);
    }

    private static List<Row> startup(Launcher launcher, Path scratch, int runs, int runsWithoutArchive)
            throws IOException, InterruptedException {
        progress("startup: bin/medic check, bin/medic replay of a %,d-line log and bin/medic run, %d runs each (and %d with MEDIC_CDS=off)",
                StartupTime.LOG_LINES, runs, runsWithoutArchive);
        String loadBefore = loadAverage();
        StartupTime.Result st = new StartupTime(launcher, scratch).measure(runs, runsWithoutArchive);
        return startupRows(st, loadBefore, loadAverage());
    }

    private static void finish(Path repo, Path scratch, List<Row> rows, String mode, int loopRuns, String loadAtStart)
            throws IOException {
        String report = report(rows, mode, loopRuns, loadAtStart, loadAverage());
        System.out.print(report);
        Path out = repo.resolve("bench/out/results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        deleteTree(scratch);
        System.exit(rows.stream().anyMatch(r -> r.result().equals("FAIL")) ? 1 : 0);
    }

    private static List<Row> replayRows(ReplayThroughput.Result r) {
        List<Row> rows = new ArrayList<>();
        double median = r.perSecond(r.median());
        rows.add(new Row(String.format(Locale.ROOT, "Replay throughput, in process, steady state (%,d-line generated log)", r.input().lines()),
                String.format(Locale.ROOT, ">= %,.0f lines/s (median)", REPLAY_GOAL_LINES_PER_SECOND),
                String.format(Locale.ROOT, "median %,.0f lines/s (%.3f s, %.0f MB/s), best %,.0f lines/s (n=%d after %d warm-up), on %d threads; per CPU second (all threads): median %,.0f lines/s; read on one thread: %,.0f lines/s (%.3f s)",
                        median, r.median() / 1e9, r.mbPerSecond(r.median()), r.perSecond(r.best()), r.inJvmNanos().size(),
                        r.warmUps(), ScreenedLog.Reading.allCores().threads(), r.perSecond(r.medianCpu()),
                        r.perSecond(r.sequentialNanos()), r.sequentialNanos() / 1e9),
                verdict(median >= REPLAY_GOAL_LINES_PER_SECOND)));
        rows.add(new Row("Replay, whole process: `bin/medic replay LOG --exit-code 1` (JVM start and rule base included)",
                "none", String.format(Locale.ROOT, "%.3f s = %,.0f lines/s (best of %d)", r.processNanos() / 1e9,
                        r.perSecond(r.processNanos()), r.processRuns()), "info"));
        double grepRate = r.perSecond(r.grepNanos());
        rows.add(new Row(String.format(Locale.ROOT, "`LC_ALL=C grep -E -c -i` with the alternation of the catalog's %d anchors, whole process (bench/out/grep-command.txt)", r.anchors()),
                "none", String.format(Locale.ROOT, "%.3f s = %,.0f lines/s (best of %d); medic/grep: %.2fx in process (median), %.2fx whole process",
                        r.grepNanos() / 1e9, grepRate, r.grepRuns(), median / grepRate, r.perSecond(r.processNanos()) / grepRate),
                "info"));
        boolean found = r.root() != null && r.root().equals(r.processRoot()) && r.grepCount() == r.screenCount()
                && r.sameAsSequential();
        rows.add(new Row("Replay finds the planted failures",
                "a root failure, the same in process and whole process; read on all cores = read on one thread; grep's count = medic's screen's",
                String.format(Locale.ROOT, "root %s (found: %s; decision: %s); whole process: %s; on one thread: %s; grep %,d lines, screen %,d; %,d of %,d split lines reach the rules",
                        r.root(), String.join(", ", r.failures()), r.decision(), r.processRoot(),
                        r.sameAsSequential() ? "the same failures, evidence lines and decision" : "A DIFFERENT VERDICT", r.grepCount(),
                        r.screenCount(), r.ruleLines(), r.splitLines()),
                verdict(found)));
        LogGenerator.Stats in = r.input();
        rows.add(new Row("Replay input (seeded)", "none",
                String.format(Locale.ROOT, "%,d lines, %.1f MB; %,d failure lines, %,d healthy lines holding an anchor, %,d warnings, %,d tqdm redraws",
                        in.lines(), in.bytes() / 1e6, in.failureLines(), in.benignAnchorLines(), in.warningLines(), in.crSegments()),
                "info"));
        return rows;
    }

    /**
     * The busy log carries the goal (most lines a busy trainer prints are not progress, and the
     * screen must make those cheap); the dense one, nearly all progress, is the worst case.
     */
    static List<Row> progressRows(ProgressThroughput.Result busy, ProgressThroughput.Result dense) {
        double busyCpu = busy.perSecond(busy.medianCpu());
        return List.of(
                progressRow("busy log, 1% of training lines are progress", busy,
                        String.format(Locale.ROOT, ">= %,.0f lines/s (thread CPU time, median): %,.0f lines/s then cost <= %.0f%% of one core",
                                PROGRESS_GOAL_LINES_PER_SECOND, PROGRESS_OFFERED_LINES_PER_SECOND,
                                100 * PROGRESS_OFFERED_LINES_PER_SECOND / PROGRESS_GOAL_LINES_PER_SECOND),
                        verdict(busyCpu >= PROGRESS_GOAL_LINES_PER_SECOND)),
                progressRow("dense log, nearly every line is progress (worst case)", dense, "none", "info"));
    }

    private static Row progressRow(String what, ProgressThroughput.Result r, String goal, String result) {
        double cpu = r.perSecond(r.medianCpu());
        return new Row(String.format(Locale.ROOT, "Progress parsing, in process, %s (%,d generated lines, %,d split lines, the catalog's %d progress patterns)",
                what, r.input().lines(), r.splitLines(), r.patterns()), goal,
                String.format(Locale.ROOT, "thread CPU time: median %,.0f lines/s, so %,.0f lines/s cost %.1f%% of one core; wall: median %,.0f lines/s, best %,.0f (n=%d after %d warm-up); %,d lines pass the byte screen, %,d give progress",
                        cpu, PROGRESS_OFFERED_LINES_PER_SECOND, 100 * PROGRESS_OFFERED_LINES_PER_SECOND / cpu,
                        r.perSecond(r.median()), r.perSecond(r.nanos().get(0)), r.nanos().size(), r.warmUps(),
                        r.screened(), r.parsed()),
                result);
    }

    private static Row report(Launcher launcher, Path scratch, int runs) throws IOException, InterruptedException {
        progress("report: bin/medic report over %,d generated runs of %d attempts, HTML and --json taking turns, %d runs each",
                ReportTime.RUNS, ReportTime.ATTEMPTS, runs);
        String loadBefore = loadAverage();
        ReportTime.Result r = new ReportTime(launcher, scratch).measure(runs);
        return new Row(String.format(Locale.ROOT, "`bin/medic report --out FILE` over %,d generated runs of %d attempts (%d progress records an attempt; %.1f MB of journals), whole process",
                ReportTime.RUNS, ReportTime.ATTEMPTS, ReportTime.PROGRESS_RECORDS, r.journalBytes() / 1e6),
                String.format(Locale.ROOT, "< %.0f s (median)", REPORT_GOAL_SECONDS),
                String.format(Locale.ROOT, "%s; a %.1f MB page; `--json` %s; load average %s before, %s after", seconds(r.html()),
                        r.pageBytes() / 1e6, seconds(r.json()), loadBefore, loadAverage()),
                verdict(median(r.html()) < REPORT_GOAL_SECONDS * 1e9));
    }

    private static List<Row> startupRows(StartupTime.Result r, String loadBefore, String loadAfter) {
        List<Row> rows = new ArrayList<>();
        String load = "load average " + loadBefore + " before, " + loadAfter + " after";
        rows.add(new Row("`bin/medic check`, whole process (class-data archive in place)",
                String.format(Locale.ROOT, "< %.1f s (median)", STARTUP_GOAL_SECONDS),
                seconds(r.check()) + "; " + load, verdict(median(r.check()) < STARTUP_GOAL_SECONDS * 1e9)));
        rows.add(new Row(String.format(Locale.ROOT, "`bin/medic replay LOG --exit-code 1` of a %,d-line generated log, whole process (archive in place)", StartupTime.LOG_LINES),
                String.format(Locale.ROOT, "< %.1f s (median)", STARTUP_GOAL_SECONDS),
                seconds(r.replay()) + "; found " + r.replayRoot() + "; " + load,
                verdict(median(r.replay()) < STARTUP_GOAL_SECONDS * 1e9)));
        rows.add(new Row("`bin/medic run --run-dir DIR --backoff 0s -- PY -S -I -c 'import time; print(time.time_ns())'`: invocation to the child's first statement (PY: the real interpreter; archive in place)",
                String.format(Locale.ROOT, "<= %.1f s (median)", RUN_TO_CHILD_GOAL_SECONDS),
                seconds(r.runToChild()) + "; the same Python alone " + seconds(r.pythonAlone()) + " (" + r.python() + "); " + load,
                verdict(median(r.runToChild()) <= RUN_TO_CHILD_GOAL_SECONDS * 1e9)));
        rows.add(new Row("`bin/medic run --run-dir DIR -- true`, whole process (archive in place)",
                String.format(Locale.ROOT, "<= %.1f s (median)", RUN_TRUE_GOAL_SECONDS),
                seconds(r.runTrue()) + "; " + load, verdict(median(r.runTrue()) <= RUN_TRUE_GOAL_SECONDS * 1e9)));
        rows.add(new Row("`bin/medic check` and `replay` without the archive (`MEDIC_CDS=off`)", "none",
                "check " + seconds(r.checkWithoutArchive()) + "; replay " + seconds(r.replayWithoutArchive()), "info"));
        rows.add(new Row("Class-data archive (bin/medic makes it in the background after a build)", "none", r.archive(), "info"));
        return rows;
    }

    private static Row bigReplayRow(BigReplay.Result r, String kind, String loadBefore, String loadAfter) {
        double ratio = (double) r.medicMedian() / r.grepMedian();
        return new Row(String.format(Locale.ROOT, "Replay of a %.2f GB generated log (%,d lines)" + kind + ", whole process: `bin/medic replay LOG --exit-code 1` against `LC_ALL=C grep -E -c -i` with the anchors' alternation (bench/out/grep-command.txt)",
                r.input().bytes() / 1e9, r.input().lines()),
                String.format(Locale.ROOT, "medic <= %.0fx grep (medians)", BIG_REPLAY_GOAL_RATIO),
                String.format(Locale.ROOT, "medic median %.2f s (%s), grep median %.2f s (%s): %.2fx; medic found %s, grep counted %,d lines; load average %s before, %s after",
                        r.medicMedian() / 1e9, list(r.medic()), r.grepMedian() / 1e9, list(r.grep()), ratio, r.root(), r.grepCount(),
                        loadBefore, loadAfter),
                verdict(ratio <= BIG_REPLAY_GOAL_RATIO));
    }

    private static long median(List<Long> sorted) {
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** "median 0.812 s (min 0.790, max 0.901, n=9)" of sorted wall times. */
    private static String seconds(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return "not run";
        }
        return String.format(Locale.ROOT, "median %.3f s (min %.3f, max %.3f, n=%d)", median(sorted) / 1e9, sorted.get(0) / 1e9,
                sorted.get(sorted.size() - 1) / 1e9, sorted.size());
    }

    private static String list(List<Long> nanos) {
        return String.join(", ", nanos.stream().map(n -> String.format(Locale.ROOT, "%.2f", n / 1e9)).toList());
    }

    /** The {@code count} samples after the warm-up; runs yield several at a time, so there are often spare ones. */
    private static List<Long> measured(List<Long> all, int count) {
        return all.subList(WARM_UP, WARM_UP + count);
    }

    private static String verdict(boolean pass) {
        return pass ? "pass" : "FAIL";
    }

    private static String report(List<Row> rows, String mode, int runs, String loadAtStart, String loadAtEnd) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Medic benchmark, %s, %s, %d CPUs, Java %s; %d supervised runs in the failure loop, first %d samples of each latency dropped as warm-up; load average (1, 5, 15 min) %s at start, %s at end%n%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), mode,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), runs, WARM_UP,
                loadAtStart, loadAtEnd));
        b.append("| Metric | Goal | Measured | Result |\n|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(r.markdown()).append('\n');
        }
        return b.toString();
    }

    /** The first three fields of /proc/loadavg: other work on the machine shows in every timing. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
