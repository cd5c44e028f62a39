package dev.medic.supervise;

import dev.medic.catalog.Catalog;
import dev.medic.facts.Signature;
import dev.medic.fix.FixRegistry;
import dev.medic.logs.Screen;

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
            String probe = s.backtrackingProbe();
            if (probe != null) {
                out.add(s.describe() + " backtracks catastrophically on " + probe
                        + "; at run time it gives up on such lines (they are not matched): rewrite it");
            }
        }
        return out;
    }
}
