package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.MedicException;
import dev.medic.logs.Ansi;
import dev.medic.supervise.JournalReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            List<JsonNode> recs = JournalReader.read(d.resolve("journal.jsonl"));
            String started = "";
            String status = "running?";
            String command = "";
            int attempts = 0;
            for (JsonNode r : recs) {
                switch (r.path("event").asText()) {
                    case "run_started" -> {
                        started = r.path("ts").asText().replace('T', ' ');
                        started = started.length() > 19 ? started.substring(0, 19) : started;
                        command = join(r.path("argv"));
                    }
                    case "attempt_started" -> attempts = Math.max(attempts, r.path("attempt").asInt());
                    case "run_finished" -> status = r.path("status").asText();
                    case "run_resumed" -> status = "running?";
                    default -> {
                    }
                }
            }
            System.out.printf("%-22s %-20s %-12s %8d  %s%n", d.getFileName(), started, status, attempts, Ansi.strip(command));
        }
    }

    private void showRun(Path dir) throws IOException {
        System.out.println("run " + dir.getFileName() + " (" + dir + ")");
        List<JsonNode> records = JournalReader.read(dir.resolve("journal.jsonl"));
        for (JsonNode r : records) {
            String line = describe(r);
            if (line != null) {
                // a journal's log text (evidence, written by any medic version) never steers the terminal
                System.out.println(Ansi.strip(line));
            }
        }
        if (records.stream().noneMatch(r -> r.path("event").asText().equals("run_finished"))) {
            System.out.println("(no run_finished record: the run is still going, or its supervisor was killed)");
        }
    }

    private static void showSweep(Path dir) throws IOException {
        System.out.println("sweep " + dir.getFileName() + " (" + dir + ")");
        System.out.printf("%-6s %-32s %-9s %-18s %-28s %-22s %s%n", "TRIAL", "PARAMETERS", "ATTEMPTS", "ROOT FAILURE", "FIXES",
                "RUN", "STATUS");
        List<JsonNode> rows = JournalReader.read(dir.resolve("sweep.jsonl"));
        rows.sort(java.util.Comparator.comparingInt(r -> r.path("trial").asInt()));
        for (JsonNode r : rows) {
            List<String> params = new ArrayList<>();
            r.path("params").fields().forEachRemaining(e -> params.add(e.getKey() + "=" + e.getValue().asText()));
            String fixes = join(r.path("fixes"), ",");
            System.out.printf("%-6d %-32s %-9d %-18s %-28s %-22s %s%n", r.path("trial").asInt(), Ansi.strip(String.join(" ", params)),
                    r.path("attempts").asInt(), r.path("root_failure").asText().isEmpty() ? "-" : r.path("root_failure").asText(),
                    fixes.isEmpty() ? "-" : fixes, r.path("run_id").asText().isEmpty() ? "-" : r.path("run_id").asText(),
                    r.path("status").asText());
        }
    }

    private static String describe(JsonNode r) {
        int n = r.path("attempt").asInt();
        String ts = r.path("ts").asText();
        String time = ts.length() >= 19 ? ts.substring(11, 19) : ts;
        String what = switch (r.path("event").asText()) {
            case "run_started" -> "started: " + join(r.path("argv"));
            case "run_resumed" -> "resumed after attempt " + n + " (was " + r.path("previous_status").asText("killed") + "): "
                    + join(r.path("argv"));
            case "attempt_abandoned" -> "attempt " + n + " abandoned: " + r.path("reason").asText();
            case "attempt_adopted" -> "attempt " + n + " taken up again (" + r.path("process").asText() + "), its log from line "
                    + (r.path("lines_before").asLong() + 1);
            case "attempt_started" -> "attempt " + n + ": " + join(r.path("argv"));
            case "attempt_finished" -> "attempt " + n + " ended: exit code " + r.path("exit_code").asText()
                    + (r.path("signal").isTextual() ? ", signal " + r.path("signal").asText() : "")
                    + ", " + r.path("duration_ms").asLong() + " ms, " + r.path("lines").asLong() + " lines"
                    + (r.path("dropped_bytes").asLong() > 0 ? " (the log dropped " + r.path("dropped_bytes").asLong() + " bytes, "
                            + r.path("dropped_lines").asLong() + " lines, by --max-log-size)" : "")
                    + (r.path("last_progress").has("step") ? ", last step " + r.path("last_progress").path("step").asText() : "");
            case "failure" -> "  failure " + r.path("failure").asText() + (r.path("root").asBoolean() ? " (root)" : "")
                    + firstEvidence(r.path("evidence"));
            case "decision" -> "  decision: " + r.path("fix").asText() + " (" + r.path("reason").asText() + ")";
            case "fix_applied" -> "  fix " + r.path("fix").asText() + ": " + join(r.path("changes"), "; ");
            case "warning" -> "  warning: " + r.path("message").asText();
            case "escalated" -> "escalated: " + r.path("reason").asText();
            case "run_finished" -> "finished: " + r.path("status").asText() + " after " + r.path("attempts").asInt() + " attempt(s)";
            default -> null;
        };
        return what == null ? null : time + "  " + what;
    }

    private static String firstEvidence(JsonNode ev) {
        if (!ev.isArray() || ev.isEmpty()) {
            return "";
        }
        JsonNode e = ev.get(0);
        return ": line " + e.path("line").asLong() + ": " + e.path("text").asText();
    }

    private static String join(JsonNode arr) {
        return join(arr, " ");
    }

    private static String join(JsonNode arr, String sep) {
        List<String> parts = new ArrayList<>();
        arr.forEach(a -> parts.add(a.asText()));
        return String.join(sep, parts);
    }
}
