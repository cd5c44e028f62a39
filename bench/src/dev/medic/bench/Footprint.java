package dev.medic.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@code medic run} as its own process over a chatty, healthy trainer and samples the
 * supervisor's /proc entries: resident memory and CPU time of medic alone (the child's CPU is
 * not in utime/stime).
 */
final class Footprint {
    private static final long SAMPLE_MILLIS = 200;
    private static final Pattern DURATION_MS = Pattern.compile("\"duration_ms\":(\\d+)");
    private static final Pattern LINES = Pattern.compile("\"lines\":(\\d+)");

    private record Sample(long atNanos, long rssKb, long hwmKb, long cpuTicks) {
    }

    /**
     * @param cpuWhole    medic's CPU over its whole life (JVM start and rule base included), % of one core
     * @param cpuLastHalf the same over the second half of the run, when only the output is being handled
     */
    record Result(double peakMb, double medianRssMb, double cpuWhole, double cpuLastHalf, long lines,
                  double linesPerSecond, int offeredRate, double childLinesPerSecond) {
    }

    private final Launcher launcher;
    private final Path scratch;

    Footprint(Launcher launcher, Path scratch) {
        this.launcher = launcher;
        this.scratch = scratch;
    }

    Result measure(double seconds, int rate) throws IOException, InterruptedException {
        return measure(seconds, rate, false);
    }

    /** @param nearMiss one line in six holds catalog anchors inside other words ({@link ChildScripts#STEADY_TRAINER}) */
    Result measure(double seconds, int rate, boolean nearMiss) throws IOException, InterruptedException {
        Path script = ChildScripts.write(scratch, "steady_trainer.py", ChildScripts.STEADY_TRAINER);
        String kind = nearMiss ? "near-miss" : "plain";
        Path runs = scratch.resolve("footprint-runs-" + kind);
        Path achieved = scratch.resolve("footprint-achieved-" + kind + ".txt");
        // bin/medic execs java, so its pid is the medic JVM's; the launcher's class-data archive is in place by now
        List<String> cmd = launcher.medic("run", "--quiet", "--backoff", "0s", "--max-attempts", "1", "--run-dir",
                runs.toString(), "--", "python3", script.toString(), Double.toString(seconds), Integer.toString(rate),
                achieved.toString(), kind);
        Process medic = new ProcessBuilder(cmd)
                .directory(scratch.toFile())
                .redirectOutput(scratch.resolve("footprint.out").toFile())
                .redirectError(scratch.resolve("footprint.err").toFile())
                .start();
        long started = System.nanoTime();
        Path proc = Path.of("/proc", Long.toString(medic.pid()));
        List<Sample> samples = new ArrayList<>();
        while (medic.isAlive()) {
            Sample s = sample(proc, System.nanoTime() - started);
            if (s != null) {
                samples.add(s);
            }
            Thread.sleep(SAMPLE_MILLIS);
        }
        int exit = medic.waitFor();
        if (exit != 0 || samples.size() < 2) {
            throw new IllegalStateException("medic run exited " + exit + " after " + samples.size()
                    + " samples; see " + scratch.resolve("footprint.err"));
        }
        long ticksPerSecond = clockTicksPerSecond();
        Sample last = samples.get(samples.size() - 1);
        Sample mid = samples.stream().filter(s -> s.atNanos >= last.atNanos / 2).findFirst().orElseThrow();
        double peakKb = samples.stream().mapToLong(s -> Math.max(s.hwmKb, s.rssKb)).max().orElseThrow();
        List<Long> rss = samples.stream().map(Sample::rssKb).sorted().toList();
        long[] journal = journalLines(runs);
        return new Result(peakKb / 1024, rss.get(rss.size() / 2) / 1024.0,
                cpuPercent(last.cpuTicks, last.atNanos, ticksPerSecond),
                cpuPercent(last.cpuTicks - mid.cpuTicks, last.atNanos - mid.atNanos, ticksPerSecond),
                journal[1], journal[1] / (journal[0] / 1000.0), rate, childRate(achieved));
    }

    /** The rate the child measured itself, first line to last: what it really offered. */
    private static double childRate(Path achieved) throws IOException {
        String[] f = Files.readString(achieved).trim().split(" ");
        return Long.parseLong(f[0]) / Double.parseDouble(f[1]);
    }

    /** One reading, or null when the process is already gone. */
    private static Sample sample(Path proc, long atNanos) {
        try {
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line);
                }
            }
            String stat = Files.readString(proc.resolve("stat"));
            // the command name may hold spaces: fields are counted after its closing ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long cpu = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return new Sample(atNanos, rss, hwm, cpu);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    private static double cpuPercent(long ticks, long nanos, long ticksPerSecond) {
        return 100.0 * ticks / ticksPerSecond / (nanos / 1e9);
    }

    private static long clockTicksPerSecond() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    }

    /** The attempt's duration (ms) and line count, as medic's journal records them. */
    private static long[] journalLines(Path runs) throws IOException {
        try (Stream<Path> dirs = Files.list(runs)) {
            Path journal = dirs.map(d -> d.resolve("journal.jsonl")).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no journal under " + runs));
            for (String line : Files.readAllLines(journal)) {
                Matcher duration = DURATION_MS.matcher(line);
                Matcher lines = LINES.matcher(line);
                if (line.contains("\"event\":\"attempt_finished\"") && duration.find() && lines.find()) {
                    return new long[] {Long.parseLong(duration.group(1)), Long.parseLong(lines.group(1))};
                }
            }
        }
        throw new IllegalStateException("no attempt_finished record under " + runs);
    }
}
