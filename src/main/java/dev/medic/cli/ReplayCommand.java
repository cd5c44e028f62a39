package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.MedicException;
import dev.medic.catalog.Catalog;
import dev.medic.facts.Evidence;
import dev.medic.facts.Failure;
import dev.medic.facts.FixDecision;
import dev.medic.facts.FixOption;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixPlan;
import dev.medic.fix.FixRegistry;
import dev.medic.journal.Event;
import dev.medic.journal.JournalReader;
import dev.medic.journal.RunHistory;
import dev.medic.logs.Redactor;
import dev.medic.supervise.History;
import dev.medic.supervise.Knowledge;
import dev.medic.supervise.Replayer;
import dev.medic.supervise.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Runs a saved log through the same detection and choice as a live first attempt.",
        "The exit code is --exit-code, else the number in LOG's sibling .exit file, else 0.",
        "It prints what the next attempt would change, as a live run journals it (fix_applied.changes).",
        "With '-- CMD ...' the fixes are planned against that command; without, fixes that read the command",
        "(batch size, learning rate, flags) are assumed to apply and named as needing it; the rest are planned.",
        "With --history JOURNAL it decides as the next attempt of that run would."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LOG", description = "The log file.")
    Path log;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "The command the log came from (optional).")
    List<String> command;

    @Option(names = "--exit-code", paramLabel = "N", description = "How the run ended.")
    Integer exitCode;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--history", paramLabel = "JOURNAL", description = "A run's journal.jsonl: decide as the attempt after its last one (its failures and fixes count; its last command is planned against unless -- CMD is given).")
    Path history;

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML); default ./medic.yaml when present.")
    Path config;

    @Mixin
    Sources sources;

    @Mixin
    ContextOptions context;

    @Override
    public Integer call() throws IOException {
        requireFile(log, "", "log");
        int code = exitCode != null ? exitCode : siblingExitCode(log);
        // the rules compile in the background while the log is read; the first screened line waits for them
        try (Knowledge knowledge = new Knowledge(sources.catalogLocation(), sources.rulesLocation())) {
            Catalog catalog = knowledge.start();
            knowledge.beginRules();
            History past = History.none();
            if (history != null) {
                requireFile(history, "--history: ", "journal");
                var events = JournalReader.read(history);
                if (events.stream().noneMatch(e -> e instanceof Event.RunStarted)) {
                    throw MedicException.badInput("--history: " + history + ": not a medic journal (no run_started record)");
                }
                past = History.of(RunHistory.of(events));
            }
            List<String> argv = command != null && !command.isEmpty() ? command : past.lastArgv();
            RunSpec spec = argv.isEmpty() ? null : new RunSpec(argv, System.getenv(), Path.of("").toAbsolutePath());
            Verdict v = new Replayer(catalog, knowledge::rules, FixRegistry.standard()).replay(log, code, spec, context.toContext(), 64 * 1024, past);
            // the log is the run's own output, but what medic prints of it is medic's: no secrets
            Redactor redactor = Redactor.fromEnvironments(System.getenv());
            for (var sig : catalog.signatures()) {
                String slow = sig.takeGaveUpWarning();
                if (slow != null) {
                    System.err.println("medic: warning: " + slow);
                }
            }
            if (json) {
                System.out.println(redactor.redact(new ObjectMapper().writeValueAsString(toJson(v, code, spec != null))));
            } else {
                printText(v, code, redactor, spec != null);
            }
            return 0;
        }
    }

    private static int siblingExitCode(Path log) {
        String name = log.getFileName().toString();
        Path exit = log.resolveSibling((name.endsWith(".log") ? name.substring(0, name.length() - 4) : name) + ".exit");
        if (!Files.isRegularFile(exit)) {
            return 0;
        }
        try {
            return Integer.parseInt(Files.readString(exit).strip());
        } catch (IOException | NumberFormatException e) {
            throw MedicException.badInput(exit + ": not an exit code");
        }
    }

    private Map<String, Object> toJson(Verdict v, int code, boolean hasCommand) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log", log.toString());
        m.put("exit_code", code);
        Failure root = v.root();
        m.put("failure", root == null ? null : root.getId());
        List<Map<String, Object>> evidence = new ArrayList<>();
        if (root != null) {
            for (Evidence e : root.getEvidence()) {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("line", e.lineNo());
                ev.put("text", e.text());
                evidence.add(ev);
            }
        }
        m.put("evidence", evidence);
        m.put("failures", v.failures().stream().map(Failure::getId).toList());
        FixDecision d = v.decision();
        if (d == null) {
            m.put("decision", null);
        } else {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("fix", d.getFixId());
            dm.put("params", d.getParams());
            dm.put("reason", d.getReason());
            dm.put("changes", v.changes());
            // the next command only means something when there was a command to plan against
            dm.put("argv", hasCommand && v.chosenPlan() instanceof FixPlan.Change c && c.next() != null ? c.next().getArgv() : null);
            m.put("decision", dm);
        }
        m.put("need_command", v.needCommand());
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (FixOption o : v.options()) {
            if (o.isSkipped()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("fix", o.getFixId());
                s.put("reason", o.getSkipReason());
                skipped.add(s);
            }
        }
        m.put("skipped", skipped);
        return m;
    }

    private void printText(Verdict v, int code, Redactor redactor, boolean hasCommand) {
        System.out.println("log: " + log + " (exit code " + code + ")");
        if (v.root() == null) {
            System.out.println("failure: none");
            return;
        }
        System.out.println("failure: " + v.root().getId());
        for (Evidence e : v.root().getEvidence()) {
            System.out.println("  " + redactor.redact(e.toString()));
        }
        for (Failure f : v.failures()) {
            if (!f.isRoot()) {
                System.out.println("also: " + f.getId() + (f.isConsequence() ? " (a consequence)" : ""));
            }
        }
        for (FixOption o : v.options()) {
            if (o.isSkipped()) {
                System.out.println("skipped: " + o.getFixId() + ": " + o.getSkipReason());
            }
        }
        FixDecision d = v.decision();
        System.out.println("decision: " + (d == null ? "none" : d.getFixId() + (d.getParams().isEmpty() ? "" : " " + d.getParams())
                + " (" + d.getReason() + ")"));
        for (String change : v.changes()) {
            System.out.println("  change: " + redactor.redact(change));
        }
        if (hasCommand && v.chosenPlan() instanceof FixPlan.Change c && c.next() != null) {
            System.out.println("  next command: " + redactor.redact(String.join(" ", c.next().getArgv())));
        }
        List<String> need = v.needCommand();
        if (!need.isEmpty()) {
            System.out.println("not planned without the command: " + String.join(", ", need) + " (give it after --)");
        }
    }

    private static void requireFile(Path file, String option, String kind) {
        if (Files.isDirectory(file)) {
            throw MedicException.badInput(option + file + " is a folder, not a " + kind + " file");
        }
        if (!Files.isRegularFile(file)) {
            throw MedicException.badInput(option + file + ": no such file");
        }
    }
}
