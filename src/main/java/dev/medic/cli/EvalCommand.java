package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.fix.FixRegistry;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.supervise.Evaluation;
import dev.medic.supervise.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Replays a labelled corpus (<class>/<slug>.log, optional <slug>.exit) and scores the root causes.",
        "Prints a confusion matrix, per-class precision and recall, the accuracy and the misses."})
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The corpus folder.")
    Path dir;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--min-accuracy", paramLabel = "X", description = "Exit 1 when the accuracy (0 to 1) is below X.")
    Double minAccuracy;

    @Option(names = "--no-structure", description = "Read no tracebacks: only the literal signatures decide (the catalog's exceptions: and errno: entries are off), to measure what structural reading adds.")
    boolean noStructure;

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML); default ./medic.yaml when present.")
    Path config;

    @Mixin
    Sources sources;

    @Mixin
    ContextOptions context;

    @Override
    public Integer call() throws Exception {
        if (minAccuracy != null && !(minAccuracy >= 0 && minAccuracy <= 1)) {
            throw dev.medic.MedicException.badInput("--min-accuracy must be from 0 to 1, not " + minAccuracy);
        }
        Catalog loaded = new CatalogLoader().load(sources.catalogLocation().read());
        Catalog catalog = noStructure ? loaded.literalOnly() : loaded;
        RuleSet rules = new RuleCompiler().compile(sources.rulesLocation().read());
        try (var dirs = java.nio.file.Files.list(dir)) {
            for (Path d : dirs.filter(java.nio.file.Files::isDirectory).toList()) {
                String label = d.getFileName().toString();
                if (!label.equals(Evaluation.HEALTHY) && catalog.entry(label) == null) {
                    throw dev.medic.MedicException.badInput(d + ": '" + label + "' is not a failure id of the catalog (nor healthy)");
                }
            }
        } catch (java.io.IOException e) {
            throw dev.medic.MedicException.badInput(dir + ": " + e.getMessage());
        }
        Evaluation ev;
        try {
            ev = Evaluation.run(dir, new Replayer(catalog, rules, FixRegistry.standard()), context.toContext(), 64 * 1024);
        } finally {
            rules.dispose();
        }
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(ev)));
        } else {
            printText(ev);
        }
        return minAccuracy != null && ev.accuracy() < minAccuracy ? ExitCodes.RUN_FAILED : ExitCodes.SUCCESS;
    }

    private static Map<String, Object> toJson(Evaluation ev) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", ev.accuracy());
        m.put("total", ev.total());
        m.put("correct", ev.correct());
        m.put("healthy_false_positives", ev.healthyFalsePositives());
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (String c : ev.classes()) {
            Map<String, Object> pc = new LinkedHashMap<>();
            pc.put("support", ev.support(c));
            pc.put("precision", nanToNull(ev.precision(c)));
            pc.put("recall", nanToNull(ev.recall(c)));
            perClass.put(c, pc);
        }
        m.put("classes", perClass);
        m.put("confusion", ev.confusion());
        List<Map<String, Object>> misses = new ArrayList<>();
        for (Evaluation.Case c : ev.misses()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("log", c.path());
            x.put("expected", c.expected());
            x.put("got", c.predicted());
            x.put("exit_code", c.exitCode());
            x.put("evidence", c.evidence());
            misses.add(x);
        }
        m.put("misses", misses);
        return m;
    }

    private static Object nanToNull(double d) {
        return Double.isNaN(d) ? null : d;
    }

    private static void printText(Evaluation ev) {
        List<String> classes = ev.classes();
        int w = Math.max(8, classes.stream().mapToInt(String::length).max().orElse(8));
        System.out.println("confusion matrix (rows: label, columns: medic's root cause)");
        StringBuilder head = new StringBuilder(String.format("%-" + w + "s", ""));
        for (int i = 0; i < classes.size(); i++) {
            head.append(String.format(" %3s", "c" + i));
        }
        System.out.println(head);
        Map<String, Map<String, Integer>> conf = ev.confusion();
        for (int i = 0; i < classes.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("%-" + w + "s", classes.get(i)));
            for (String p : classes) {
                int n = conf.get(classes.get(i)).get(p);
                row.append(String.format(" %3s", n == 0 ? "." : Integer.toString(n)));
            }
            System.out.println(row.append("   c").append(i));
        }
        System.out.println();
        System.out.printf("%-" + w + "s %9s %9s %7s%n", "class", "precision", "recall", "logs");
        for (String c : classes) {
            System.out.printf(Locale.ROOT, "%-" + w + "s %9s %9s %7d%n", c, fmt(ev.precision(c)), fmt(ev.recall(c)), ev.support(c));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "accuracy: %.3f (%d of %d root causes right); healthy logs flagged: %d%n",
                ev.accuracy(), ev.correct(), ev.total(), ev.healthyFalsePositives());
        for (Evaluation.Case c : ev.misses()) {
            System.out.println("miss: " + c.path() + ": expected " + c.expected() + ", got " + c.predicted()
                    + (c.evidence().isEmpty() ? "" : " (" + c.evidence() + ")"));
        }
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }
}
