package dev.medic.doctor;

import dev.medic.MedicException;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.fix.FixRegistry;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleException;
import dev.medic.rules.RuleSet;
import dev.medic.supervise.CatalogWarnings;
import dev.medic.util.SourceLocation;

import java.util.List;
import java.util.function.Supplier;

/** The catalog loads and validates; the rules compile. Where each comes from is part of the answer. */
public final class KnowledgeCheck {
    private KnowledgeCheck() {
    }

    /** @param location where the catalog is; finding it may itself fail (a --catalog that is no folder) */
    public static Finding catalog(Supplier<SourceLocation> location) {
        try {
            SourceLocation at = location.get();
            Catalog catalog = new CatalogLoader().load(at.read());
            String found = catalog.entries().size() + " failures from " + at.describe();
            List<String> warnings = CatalogWarnings.of(catalog, FixRegistry.standard());
            if (warnings.isEmpty()) {
                return Finding.ok("catalog", found);
            }
            return Finding.warn("catalog", found + "; " + warnings.get(0) + more(warnings.size() - 1, "warning"));
        } catch (MedicException e) {
            return Finding.fail("catalog", firstLine(e.getMessage()));
        }
    }

    public static Finding rules(Supplier<SourceLocation> location) {
        try {
            SourceLocation at = location.get();
            RuleSet rules = new RuleCompiler().compile(at.read());
            try {
                return Finding.ok("rules", rules.ruleCount() + " rules from " + at.describe() + " compile");
            } finally {
                rules.dispose();
            }
        } catch (RuleException e) {
            return Finding.fail("rules", e.problems().get(0) + more(e.problems().size() - 1, "problem"));
        } catch (MedicException e) {
            return Finding.fail("rules", firstLine(e.getMessage()));
        }
    }

    private static String more(int n, String what) {
        return n <= 0 ? "" : " (and " + n + " more " + what + (n == 1 ? "" : "s") + ": medic check lists them)";
    }

    private static String firstLine(String message) {
        String[] lines = String.valueOf(message).strip().split("\\R");
        return lines[0] + more(lines.length - 1, "problem");
    }
}
