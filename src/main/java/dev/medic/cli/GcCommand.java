package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.gc.Folder;
import dev.medic.gc.Survey;
import dev.medic.gc.Trees;
import dev.medic.util.ByteSizes;
import dev.medic.util.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "gc", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Removes the folders of runs and sweeps that finished longer ago than --older-than (e.g. 30d, 12h).",
        "A run has finished only when its journal's last record is run_finished: live, killed and resumable runs stay,",
        "and so does anything that is not a medic folder. Symbolic links are never followed."})
final class GcCommand implements Callable<Integer> {
    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Remove what finished longer ago than this (30d, 12h, 90m; 0: every finished run). Required.")
    Duration olderThan;

    @Mixin
    RunDirs dirs;

    @Option(names = "--dry-run", description = "Say what would be removed; remove nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON object: removed, kept, failed, count, bytes.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (olderThan == null) {
            throw MedicException.badInput("gc needs --older-than DURATION (e.g. 30d): it removes only what finished longer ago");
        }
        for (Path d : List.of(dirs.runDir, dirs.sweepDir)) {
            if (Files.exists(d) && !Files.isDirectory(d)) {
                throw MedicException.badInput(d + ": not a folder");
            }
        }
        Instant cutoff = Instant.now().minus(olderThan);
        List<Folder> folders = new ArrayList<>(Survey.runs(dirs.runDir));
        folders.addAll(Survey.sweeps(dirs.sweepDir));

        List<Map<String, Object>> removed = new ArrayList<>();
        List<Map<String, Object>> kept = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        long bytes = 0;
        for (Folder f : folders) {
            if (!f.finishedBefore(cutoff)) {
                kept.add(entry(f, "reason", f.keptBecause() != null ? f.keptBecause()
                        : "finished " + f.finishedAt() + ", within --older-than " + Durations.format(olderThan)));
                continue;
            }
            Trees.Measure m = Trees.measure(f.path());
            if (m.mountPoint() != null) {
                kept.add(entry(f, "reason", "holds another file system at " + m.mountPoint()));
                say("kept " + f.kind().label() + " " + f.path() + ": it holds another file system at " + m.mountPoint());
                continue;
            }
            long freed = m.bytes();
            if (!dryRun) {
                try {
                    freed = Trees.delete(f.path());
                } catch (IOException e) {
                    failed.add(entry(f, "error", String.valueOf(e.getMessage())));
                    System.err.println("medic: gc: cannot remove " + f.path() + ": " + e.getMessage());
                    continue;
                }
            }
            bytes += freed;
            Map<String, Object> r = entry(f, "finished", f.finishedAt().toString());
            r.put("bytes", freed);
            removed.add(r);
            say((dryRun ? "would remove " : "removed ") + f.kind().label() + " " + f.path() + " (finished "
                    + f.finishedAt() + ", " + ByteSizes.format(freed) + ")");
        }

        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dry_run", dryRun);
            o.put("older_than", Durations.format(olderThan));
            o.put("removed", removed);
            o.put("kept", kept);
            o.put("failed", failed);
            o.put("count", removed.size());
            o.put("bytes", bytes);
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            System.out.println("gc: " + (dryRun ? "dry run: would remove " : "removed ") + removed.size() + " folder(s), "
                    + ByteSizes.format(bytes) + " (" + bytes + " bytes)" + (dryRun ? "" : " freed") + "; kept " + kept.size()
                    + (failed.isEmpty() ? "" : "; " + failed.size() + " could not be removed"));
        }
        return failed.isEmpty() ? ExitCodes.SUCCESS : ExitCodes.RUN_FAILED;
    }

    private void say(String line) {
        if (!json) {
            System.out.println(line);
        }
    }

    private static Map<String, Object> entry(Folder f, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.path().toString());
        m.put("kind", f.kind().label());
        m.put(key, value);
        return m;
    }
}
