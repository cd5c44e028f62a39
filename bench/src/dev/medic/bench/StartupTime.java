package dev.medic.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Short commands as whole processes through bin/medic: {@code medic check} and {@code medic replay}
 * of a 1,000-line generated log, with the class-data archive in place (the state of every run after
 * the first one after a build), and again with {@code MEDIC_CDS=off} to show what the archive saves.
 * The runs alternate (check, replay, and the two without the archive), so that a change of load on
 * the machine touches all alike.
 */
final class StartupTime {
    static final long LOG_LINES = 1_000;

    /** Wall times in nanoseconds, sorted. */
    record Result(List<Long> check, List<Long> replay, List<Long> checkWithoutArchive, List<Long> replayWithoutArchive,
                  String archive, String replayRoot) {
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
        String root = null;
        for (int i = 0; i < runs; i++) {
            checkTimes.add(run(check, Map.of(), "check").nanos());
            Launcher.Timed r = run(replay, Map.of(), "replay");
            replayTimes.add(r.nanos());
            root = r.output().lines().filter(l -> l.startsWith("failure: ")).findFirst().orElse("(no failure line)");
            if (i < runsWithoutArchive) {
                checkBare.add(run(check, off, "check, MEDIC_CDS=off").nanos());
                replayBare.add(run(replay, off, "replay, MEDIC_CDS=off").nanos());
            }
        }
        return new Result(sorted(checkTimes), sorted(replayTimes), sorted(checkBare), sorted(replayBare), archive, root);
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
