package dev.medic.catalog;

import dev.medic.facts.CatalogEntry;
import dev.medic.facts.Signature;
import dev.medic.progress.ProgressParser;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The failure catalog as loaded and validated: failures by id, each fix's settings, and the progress patterns. */
public final class Catalog {
    private final String origin;
    /** Computed when asked (at an attempt boundary): the first SHA-256 of a JVM costs tens of milliseconds at start. */
    private final java.util.function.Supplier<String> digest;
    private final Map<String, CatalogEntry> entries;
    private final Map<String, Settings> fixSettings;
    private final ProgressParser progress;

    Catalog(String origin, java.util.function.Supplier<String> digest, Map<String, CatalogEntry> entries, Map<String, Settings> fixSettings,
            ProgressParser progress) {
        this.origin = origin;
        this.digest = digest;
        this.entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.fixSettings = Map.copyOf(fixSettings);
        this.progress = progress;
    }

    /** Where it was read from, e.g. "catalog/ (beside bin/medic)". */
    public String origin() {
        return origin;
    }

    /** Changes whenever a catalog file changes. */
    public String digest() {
        return digest.get();
    }

    public Collection<CatalogEntry> entries() {
        return entries.values();
    }

    public CatalogEntry entry(String id) {
        return entries.get(id);
    }

    /** Settings of a fix ({@code fixes.<id>}), empty when the catalog has none. */
    public Settings fixSettings(String fixId) {
        Settings s = fixSettings.get(fixId);
        return s != null ? s : Settings.empty("fixes." + fixId);
    }

    /**
     * The same catalog without its structural signatures ({@code exceptions:}, {@code errno:}): what
     * the literal signatures alone recognise, for {@code medic eval --no-structure}.
     */
    public Catalog literalOnly() {
        Map<String, CatalogEntry> literal = new LinkedHashMap<>();
        for (CatalogEntry e : entries.values()) {
            literal.put(e.getId(), new CatalogEntry(e.getId(), e.getDescription(), e.isRetryable(), e.getConsequenceOf(),
                    e.getStopAfter(), e.getSignatures().stream().filter(s -> !s.isStructural()).toList(), e.getLadder(),
                    e.getEscalation(), e.getSource()));
        }
        return new Catalog(origin, digest, literal, fixSettings, progress);
    }

    public List<Signature> signatures() {
        List<Signature> out = new ArrayList<>();
        for (CatalogEntry e : entries.values()) {
            out.addAll(e.getSignatures());
        }
        return out;
    }

    /**
     * Reads progress from output lines with the catalog's {@code progress:} patterns; a catalog
     * without that section gives a parser that finds none.
     */
    public ProgressParser progress() {
        return progress;
    }

    /** Every fix id some ladder names. */
    public List<String> ladderFixIds() {
        List<String> ids = new ArrayList<>();
        for (CatalogEntry e : entries.values()) {
            e.getLadder().forEach(s -> {
                if (!ids.contains(s.getFixId())) {
                    ids.add(s.getFixId());
                }
            });
        }
        return ids;
    }
}
