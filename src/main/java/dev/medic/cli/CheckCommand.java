package dev.medic.cli;

import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.facts.Signature;
import dev.medic.fix.FixRegistry;
import dev.medic.logs.Screen;
import dev.medic.progress.LineFilter;
import dev.medic.progress.ProgressParser;
import dev.medic.progress.ProgressPattern;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.util.SourceLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = "Validates the catalog and compiles the rules; errors as file:line: message (exit 2).")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    Sources sources;

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML); default ./medic.yaml when present.")
    Path config;

    @Option(names = "--print-anchors", description = "Print only the literals lines are screened with (lower case, one a line) and exit.")
    boolean printAnchors;

    @Override
    public Integer call() {
        SourceLocation catalogAt = sources.catalogLocation();
        SourceLocation rulesAt = sources.rulesLocation();
        if (printAnchors) {
            new CatalogLoader().load(catalogAt.read()).signatures().stream()
                    .flatMap(s -> s.getAnchors().stream()).distinct().sorted().forEach(System.out::println);
            return 0;
        }
        System.out.println("catalog: " + catalogAt.describe());
        System.out.println("rules: " + rulesAt.describe());
        Catalog catalog = new CatalogLoader().load(catalogAt.read());
        RuleSet rules = new RuleCompiler().compile(rulesAt.read());
        try {
            FixRegistry fixes = FixRegistry.standard();
            int warnings = 0;
            for (String id : catalog.ladderFixIds()) {
                if (!fixes.knows(id)) {
                    System.out.println("warning: fix '" + id + "' is named in a ladder but medic has no executor for it; the ladder walk skips it");
                    warnings++;
                }
            }
            for (Signature s : new Screen(catalog.signatures()).unanchored()) {
                System.out.println("warning: " + s.describe() + " has no literal part to screen lines with; its pattern runs on every line");
                warnings++;
            }
            for (Signature s : catalog.signatures()) {
                warnings += slowPatternWarning(s.describe(), s.backtrackingProbe());
            }
            ProgressParser progress = catalog.progress();
            for (ProgressPattern p : progress.unanchored()) {
                System.out.println("warning: " + p.name() + " has no ASCII literal to screen lines with; its regex runs on every line");
                warnings++;
            }
            for (ProgressPattern p : progress.patterns()) {
                warnings += slowPatternWarning(p.name(), p.backtrackingProbe());
                if (p.unless() != null) {
                    warnings += slowPatternWarning(p.unless().name(), p.unless().backtrackingProbe());
                }
            }
            for (LineFilter f : progress.ignore()) {
                warnings += slowPatternWarning(f.name(), f.backtrackingProbe());
            }
            System.out.println("ok: " + catalog.entries().size() + " failures, " + progress.patterns().size()
                    + " progress patterns, " + rules.ruleCount() + " rules" + (warnings > 0 ? ", " + warnings + " warning(s)" : ""));
            return 0;
        } finally {
            rules.dispose();
        }
    }

    /** Prints a warning when {@code probe} names a line the pattern gives up on; returns the warnings printed. */
    private static int slowPatternWarning(String what, String probe) {
        if (probe == null) {
            return 0;
        }
        System.out.println("warning: " + what + " backtracks catastrophically on " + probe
                + "; at run time it gives up on such lines (they are not matched): rewrite it");
        return 1;
    }

}
