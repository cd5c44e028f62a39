package dev.medic.cli;

import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.fix.FixRegistry;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.rules.RuleWarnings;
import dev.medic.supervise.CatalogWarnings;
import dev.medic.util.SourceLocation;
import dev.medic.util.SourceSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            new dev.medic.logs.Screen(new CatalogLoader().load(catalogAt.read()).signatures()).anchors().forEach(System.out::println);
            return 0;
        }
        System.out.println("catalog: " + catalogAt.describe());
        System.out.println("rules: " + rulesAt.describe());
        Catalog catalog = new CatalogLoader().load(catalogAt.read());
        SourceSet ruleSources = rulesAt.read();
        RuleSet rules = new RuleCompiler().compile(ruleSources);
        try {
            List<String> warnings = new ArrayList<>(CatalogWarnings.of(catalog, FixRegistry.standard()));
            warnings.addAll(RuleWarnings.of(ruleSources));
            warnings.forEach(w -> System.out.println("warning: " + w));
            System.out.println("ok: " + catalog.entries().size() + " failures, " + catalog.progress().patterns().size()
                    + " progress patterns, " + rules.ruleCount() + " rules" + (warnings.isEmpty() ? "" : ", " + warnings.size() + " warning(s)"));
            return 0;
        } finally {
            rules.dispose();
        }
    }
}
