package dev.medic.cli;

import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.facts.CatalogEntry;
import dev.medic.facts.LadderStep;
import dev.medic.fix.FixRegistry;
import dev.medic.progress.ProgressParser;
import dev.medic.progress.ProgressPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "catalog", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class,
        description = "Prints the failures the catalog defines and their fix ladders; 'catalog suggest LOG' drafts an entry from a log.",
        subcommands = CatalogSuggestCommand.class)
final class CatalogCommand implements Callable<Integer> {
    @Option(names = "--markdown", description = "Print a Markdown table (as in references/supervision.md).")
    boolean markdown;

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML); default ./medic.yaml when present.")
    Path config;

    @Mixin
    Sources sources;

    @Override
    public Integer call() {
        Catalog catalog = new CatalogLoader().load(sources.catalogLocation().read());
        FixRegistry fixes = FixRegistry.standard();
        if (markdown) {
            System.out.print(markdown(catalog));
            return 0;
        }
        System.out.println("catalog: " + catalog.origin());
        for (CatalogEntry e : catalog.entries()) {
            System.out.println(e.getId() + ": " + e.getDescription() + (e.isRetryable() ? "" : " (not retryable)"));
            System.out.println("  ladder: " + ladder(e, fixes));
            if (!e.getConsequenceOf().isEmpty()) {
                System.out.println("  consequence of: " + String.join(", ", e.getConsequenceOf()));
            }
            System.out.println("  signatures: " + e.getSignatures().size() + (e.getStopAfter() > 0
                    ? "; a live attempt is stopped after " + e.getStopAfter() + " matching lines" : ""));
        }
        ProgressParser progress = catalog.progress();
        System.out.println("progress: " + progress.patterns().size() + " patterns, " + progress.ignore().size()
                + " ignore expressions (references/progress.md)");
        for (ProgressPattern p : progress.patterns()) {
            System.out.println("  " + p.name());
        }
        return 0;
    }

    /** The failure/ladder table; references/supervision.md holds a copy a test keeps equal. */
    static String markdown(Catalog catalog) {
        FixRegistry fixes = FixRegistry.standard();
        StringBuilder b = new StringBuilder();
        b.append("| failure | what | retryable | ladder | consequence of |\n");
        b.append("|---|---|---|---|---|\n");
        for (CatalogEntry e : catalog.entries()) {
            b.append("| `").append(e.getId()).append("` | ").append(e.getDescription().replace("|", "\\|"))
                    .append(" | ").append(e.isRetryable() ? "yes" : "no")
                    .append(" | ").append(ladder(e, fixes))
                    .append(" | ").append(e.getConsequenceOf().isEmpty() ? "" : String.join(", ", e.getConsequenceOf()))
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String ladder(CatalogEntry e, FixRegistry fixes) {
        List<String> rungs = new ArrayList<>();
        for (LadderStep s : e.getLadder()) {
            String r = s.getFixId();
            if (!s.getParams().isEmpty()) {
                r += " " + s.getParams().toString().replace("|", "\\|");
            }
            if (s.getBudget() > 1) {
                r += " (x" + s.getBudget() + ")";
            }
            if (!fixes.knows(s.getFixId())) {
                r += " (no executor)";
            }
            rungs.add(r);
        }
        return rungs.isEmpty() ? "escalate" : String.join(" → ", rungs);
    }
}
