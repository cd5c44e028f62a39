package dev.medic.cli;

import dev.medic.MedicException;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.facts.CatalogEntry;
import dev.medic.triage.RunScan;
import dev.medic.util.SourceLocation;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The failure ids a drafted catalog entry must not take: the catalog's (a duplicate id stops the
 * catalog from loading) and the failures triage reads. The catalog is found as every command finds
 * it; one given with --catalog must load, one found by default may be mid-edit and only warns.
 */
final class DraftIds {
    private DraftIds() {
    }

    static Set<String> inUse(Path catalogOption) {
        Set<String> ids = new HashSet<>(RunScan.FAILURES);
        try {
            Catalog catalog = new CatalogLoader().load(
                    SourceLocation.find("catalog", ".yaml", catalogOption, System.getenv(), Sources.home()).read());
            for (CatalogEntry e : catalog.entries()) {
                ids.add(e.getId());
            }
        } catch (MedicException e) {
            if (catalogOption != null) {
                throw e;
            }
            System.err.println("medic: warning: the catalog was not read (" + e.getMessage() + "); drafted ids are not checked against it");
        }
        return ids;
    }
}
