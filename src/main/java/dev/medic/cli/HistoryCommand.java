package dev.medic.cli;

import dev.medic.journal.Event;
import dev.medic.journal.JournalReader;
import dev.medic.journal.RunHistory;
import dev.medic.journal.RunStatus;
import dev.medic.logs.Ansi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = "Lists runs, or shows one run's attempts, failures and fixes, from their journals.")
final class HistoryCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "A run id (or its folder).")
    String run;

    @Mixin
    RunDirs dirs;


    @Override
    public Integer call() throws IOException {
        if (run == null) {
            listRuns();
            return 0;
        }
        Path sweep = Files.isRegularFile(Path.of(run).resolve("sweep.jsonl")) ? Path.of(run)
                : !run.contains("/") && Files.isRegularFile(dirs.sweepDir.resolve(run).resolve("sweep.jsonl")) ? dirs.sweepDir.resolve(run) : null;
        if (sweep != null) {
            showSweep(sweep);
        } else {
            showRun(dirs.resolve(run));
        }
        return 0;
    }

    private void listRuns() throws IOException {
        List<Path> runs = JournalReader.runs(dirs.runDir);
        if (runs.isEmpty()) {
            System.out.println("no runs under " + dirs.runDir);
            return;
        }
        System.out.printf("%-22s %-20s %-12s %8s  %s%n", "RUN", "STARTED", "STATUS", "ATTEMPTS", "COMMAND");
        for (Path d : runs) {
            RunHistory h = RunHistory.read(d.resolve("journal.jsonl"));
            Event.RunStarted start = h.start();
            String started = start == null || start.ts() == null ? "" : start.ts().toString().replace('T', ' ');
            started = started.length() > 19 ? started.substring(0, 19) : started;
            String command = start == null ? "" : String.join(" ", start.argv());
            System.out.printf("%-22s %-20s %-12s %8d  %s%n", d.getFileName(), started, h.status(RunStatus.RUNNING_MAYBE), h.attempts(),
                    Ansi.strip(command));
        }
    }

    private void showRun(Path dir) throws IOException {
        System.out.println("run " + dir.getFileName() + " (" + dir + ")");
        List<Event> events = JournalReader.read(dir.resolve("journal.jsonl"));
        for (Event e : events) {
            String line = EventText.past(e);
            if (line != null) {
                // a journal's log text (evidence, written by any medic version) never steers the terminal
                System.out.println(Ansi.strip(line));
            }
        }
        if (events.stream().noneMatch(e -> e instanceof Event.RunFinished)) {
            System.out.println("(no run_finished record: the run is still going, or its supervisor was killed)");
        }
    }

    private static void showSweep(Path dir) throws IOException {
        System.out.println("sweep " + dir.getFileName() + " (" + dir + ")");
        System.out.printf("%-6s %-32s %-9s %-18s %-28s %-22s %s%n", "TRIAL", "PARAMETERS", "ATTEMPTS", "ROOT FAILURE", "FIXES",
                "RUN", "STATUS");
        List<Map<String, Object>> rows = new ArrayList<>(JournalReader.objects(dir.resolve("sweep.jsonl"), line -> {
        }));
        rows.sort(java.util.Comparator.comparingInt(r -> number(r.get("trial"))));
        for (Map<String, Object> r : rows) {
            List<String> params = new ArrayList<>();
            if (r.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.add(k + "=" + text(v)));
            }
            String fixes = r.get("fixes") instanceof List<?> l ? String.join(",", l.stream().map(HistoryCommand::text).toList()) : "";
            System.out.printf("%-6d %-32s %-9d %-18s %-28s %-22s %s%n", number(r.get("trial")), Ansi.strip(String.join(" ", params)),
                    number(r.get("attempts")), orDash(text(r.get("root_failure"))), orDash(fixes), orDash(text(r.get("run_id"))),
                    text(r.get("status")));
        }
    }

    private static int number(Object v) {
        return v instanceof Number n ? n.intValue() : 0;
    }

    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v);
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
