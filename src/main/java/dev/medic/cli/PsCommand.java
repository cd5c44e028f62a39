package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.journal.JournalReader;
import dev.medic.supervise.RunSummary;
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
import java.util.stream.Stream;

@Command(name = "ps", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Lists runs in progress and runs finished recently (the last day; --all for every run), sweep trials included.",
        "STATUS is running, a finished run's status, or dead: no supervisor holds an unfinished run (medic run --resume continues it)."})
final class PsCommand implements Callable<Integer> {
    @Mixin
    RunDirs dirs;

    @Option(names = "--all", description = "Every run, however long ago it finished.")
    boolean all;

    @Option(names = "--json", description = "One JSON array of runs, for scripts.")
    boolean json;


    @Override
    public Integer call() throws IOException {
        Instant now = Instant.now();
        List<Shown> runs = new ArrayList<>();
        for (Path dir : JournalReader.runs(dirs.runDir)) {
            runs.add(new Shown(dir.getFileName().toString(), RunSummary.read(dir)));
        }
        for (Path sweep : folders(dirs.sweepDir)) {
            for (Path dir : JournalReader.runs(sweep.resolve("trials"))) {
                runs.add(new Shown(sweep.getFileName() + "/" + dir.getFileName(), RunSummary.read(dir)));
            }
        }
        runs.removeIf(r -> !all && r.summary.finished() != null && !r.summary.live()
                && r.summary.finished().isBefore(now.minus(Duration.ofDays(1))));
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            runs.forEach(r -> out.add(r.toJson()));
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        }
        if (runs.isEmpty()) {
            System.out.println("no runs under " + dirs.runDir + (all ? "" : " in the last day (--all for older ones)"));
            return 0;
        }
        String format = "%-" + Math.max(22, runs.stream().mapToInt(r -> r.id.length()).max().orElse(0)) + "s  %-11s %7s  %-18s %6s  %-7s  %-22s %s%n";
        System.out.printf(format, "RUN", "STATUS", "ATTEMPT", "FIX", "AGE", "BACKEND", "PROGRESS", "COMMAND");
        for (Shown r : runs) {
            RunSummary s = r.summary;
            System.out.printf(format, r.id, s.status(), s.attempt(), s.fix() == null ? "-" : s.fix(),
                    s.started() == null ? "?" : age(Duration.between(s.started(), now)), s.backend(), progress(s.progress()),
                    abbreviate(String.join(" ", s.argv()), 60));
        }
        return 0;
    }

    private record Shown(String id, RunSummary summary) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_id", id);
            m.put("dir", summary.dir().toString());
            m.put("status", summary.status().word());
            m.put("attempt", summary.attempt());
            m.put("fix", summary.fix());
            m.put("started", summary.started() == null ? null : summary.started().toString());
            m.put("finished", summary.finished() == null ? null : summary.finished().toString());
            m.put("backend", summary.backend());
            m.put("argv", summary.argv());
            m.put("progress", summary.progress());
            m.put("supervisor_pid", summary.owner() == null ? null : summary.owner().pid());
            m.put("supervisor_host", summary.owner() == null ? null : summary.owner().host());
            return m;
        }
    }

    private static String progress(Map<String, Object> p) {
        List<String> parts = new ArrayList<>();
        if (p.get("step") != null) {
            parts.add("step " + p.get("step") + (p.get("total_steps") != null ? "/" + p.get("total_steps") : ""));
        } else if (p.get("epoch") != null) {
            parts.add("epoch " + p.get("epoch"));
        }
        if (p.get("loss") != null) {
            parts.add("loss " + p.get("loss"));
        }
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }

    private static String age(Duration d) {
        return Durations.format(Duration.ofSeconds(d.toSeconds() < 120 ? d.toSeconds() : d.toMinutes() < 120 ? d.toMinutes() * 60
                : d.toHours() < 48 ? d.toHours() * 3600 : d.toDays() * 86400));
    }

    /** One table cell: control characters (a multi-line {@code python -c} script) shown escaped, at most {@code max} long. */
    private static String abbreviate(String s, int max) {
        String line = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
                .replaceAll("[\\p{Cntrl}\\x80-\\x9F]", "?");
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }

    private static List<Path> folders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }
}
