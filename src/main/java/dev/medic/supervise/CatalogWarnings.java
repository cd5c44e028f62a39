package dev.medic.supervise;

import dev.medic.catalog.Catalog;
import dev.medic.facts.Signature;
import dev.medic.fix.FixRegistry;
import dev.medic.logs.Screen;
import dev.medic.progress.LineFilter;
import dev.medic.progress.ProgressParser;
import dev.medic.progress.ProgressPattern;

import java.util.ArrayList;
import java.util.List;

/** What is wrong with a catalog that loads but will not work as written: fixes medic lacks, slow or unscreenable patterns. */
public final class CatalogWarnings {
    private CatalogWarnings() {
    }

    public static List<String> of(Catalog catalog, FixRegistry fixes) {
        List<String> out = new ArrayList<>();
        for (String id : catalog.ladderFixIds()) {
            if (!fixes.knows(id)) {
                out.add("fix '" + id + "' is named in a ladder but medic has no executor for it; the ladder walk skips it");
            }
        }
        for (Signature s : new Screen(catalog.signatures()).unanchored()) {
            out.add(s.describe() + " has no literal part to screen lines with; its pattern runs on every line");
        }
        for (Signature s : catalog.signatures()) {
            slow(out, s.describe(), s.backtrackingProbe());
        }
        ProgressParser progress = catalog.progress();
        for (ProgressPattern p : progress.unanchored()) {
            out.add(p.name() + " has no ASCII literal to screen lines with; its regex runs on every line");
        }
        for (ProgressPattern p : progress.patterns()) {
            slow(out, p.name(), p.backtrackingProbe());
            if (p.unless() != null) {
                slow(out, p.unless().name(), p.unless().backtrackingProbe());
            }
        }
        for (LineFilter f : progress.ignore()) {
            slow(out, f.name(), f.backtrackingProbe());
        }
        return out;
    }

    /** A warning when {@code probe} names a line the pattern gives up on. */
    private static void slow(List<String> out, String what, String probe) {
        if (probe != null) {
            out.add(what + " backtracks catastrophically on " + probe
                    + "; at run time it gives up on such lines (they are not matched): rewrite it");
        }
    }
}
