package dev.medic.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Short commands as whole processes through bin/medic: {@code medic check} and {@code medic replay}
 * of a 1,000-line generated log, with the class-data archive in place (the state of every run after
 * the first one after a build), and again with {@code MEDIC_CDS=off} to show what the archive saves;
 * and {@code medic run}: from its invocation to its child's first statement (a Python that prints
 * {@code time.time_ns()}, CLOCK_REALTIME as {@link Instant} reads it; the real interpreter, not a
 * pyenv shim, with {@code -S -I}: its own start is measured alone beside it), and
 * {@code medic run -- true} whole. The runs alternate, so that a change of load on the machine
 * touches all alike.
 */
final class StartupTime {
    static final long LOG_LINES = 1_000;

    /** Wall times in nanoseconds, sorted. */
    record Result(List<Long> check, List<Long> replay, List<Long> checkWithoutArchive, List<Long> replayWithoutArchive,
                  String archive, String replayRoot, List<Long> runToChild, List<Long> runTrue, List<Long> pythonAlone,
                  String python) {
    }

    private final Launcher launcher;
    private final Path scratch;

    StartupTime(Launcher launcher, Path scratch) {
        this.launcher = launcher;
        this.scratch = scratch;
    }

    Result measure(int runs, int runsWithoutArchive) throws IOException, InterruptedException {
        Path log = scratch.resolve("startup.log");
        LogGenerator.write(log, LOG_LINES);
        String archive = launcher.prepareArchive();
        Bench.progress("startup: class-data archive %s", archive);
        List<String> check = launcher.medic("check");
        List<String> replay = launcher.medic("replay", log.toString(), "--exit-code", "1");
        List<Long> checkTimes = new ArrayList<>();
        List<Long> replayTimes = new ArrayList<>();
        List<Long> checkBare = new ArrayList<>();
        List<Long> replayBare = new ArrayList<>();
        Map<String, String> off = Map.of("MEDIC_CDS", "off");
        String python = realPython();
        List<String> printTime = List.of(python, "-S", "-I", "-c", "import time; print(time.time_ns())");
        String runDir = scratch.resolve("startup-runs").toString();
        List<String> runChild = new ArrayList<>(launcher.medic("run", "--run-dir", runDir, "--backoff", "0s", "--"));
        runChild.addAll(printTime);
        List<String> runTrue = launcher.medic("run", "--run-dir", runDir, "--", "true");
        List<Long> toChild = new ArrayList<>();
        List<Long> trueTimes = new ArrayList<>();
        List<Long> pythonTimes = new ArrayList<>();
        String root = null;
        for (int i = 0; i < runs; i++) {
            pythonTimes.add(toFirstStatement(printTime, "python alone"));
            toChild.add(toFirstStatement(runChild, "run, invocation to the child's first statement"));
            trueTimes.add(run(runTrue, Map.of(), "run -- true").nanos());
            checkTimes.add(run(check, Map.of(), "check").nanos());
            Launcher.Timed r = run(replay, Map.of(), "replay");
            replayTimes.add(r.nanos());
            root = r.output().lines().filter(l -> l.startsWith("failure: ")).findFirst().orElse("(no failure line)");
            if (i < runsWithoutArchive) {
                checkBare.add(run(check, off, "check, MEDIC_CDS=off").nanos());
                replayBare.add(run(replay, off, "replay, MEDIC_CDS=off").nanos());
            }
        }
        return new Result(sorted(checkTimes), sorted(replayTimes), sorted(checkBare), sorted(replayBare), archive, root,
                sorted(toChild), sorted(trueTimes), sorted(pythonTimes), python);
    }

    /** From starting {@code command} to the {@code time.time_ns()} the Python in it printed first. */
    private long toFirstStatement(List<String> command, String what) throws IOException, InterruptedException {
        Instant before = Instant.now();
        Launcher.Timed t = launcher.checked(command, Map.of(), 0);
        long printed = t.output().lines().filter(l -> l.matches("[0-9]{19}")).mapToLong(Long::parseLong).findFirst()
                .orElseThrow(() -> new IllegalStateException(what + ": no time printed:\n" + t.output()));
        long nanos = printed - (before.getEpochSecond() * 1_000_000_000L + before.getNano());
        Bench.progress("startup: %s: %.3f s", what, nanos / 1e9);
        return nanos;
    }

    /** The interpreter python3 runs (a pyenv shim alone takes about 0.08 s to find it). */
    private static String realPython() throws IOException, InterruptedException {
        Launcher.Timed t = Launcher.time(List.of("python3", "-c", "import sys; print(sys.executable)"), Path.of("."), Map.of());
        String exe = t.output().strip();
        return t.exit() == 0 && !exe.isEmpty() ? exe : "python3";
    }

    private Launcher.Timed run(List<String> command, Map<String, String> env, String what) throws IOException, InterruptedException {
        Launcher.Timed t = launcher.checked(command, env, 0);
        Bench.progress("startup: %s: %.3f s", what, t.nanos() / 1e9);
        return t;
    }

    private static List<Long> sorted(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return List.copyOf(s);
    }
}
