package dev.medic.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.facts.CatalogEntry;
import dev.medic.progress.LineFilter;
import dev.medic.progress.ProgressParser;
import dev.medic.progress.ProgressPattern;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads every {@code *.yaml} file of a catalog folder into one {@link Catalog}. Each file may hold
 * {@code failures:} (a list, {@link FailureReader}), {@code fixes:} (settings by fix id) and {@code progress:}
 * ({@link ProgressReader}). Unknown keys, duplicate ids, bad regular expressions and dangling references are
 * errors that name the file and the property.
 */
public final class CatalogLoader {
    private static final Set<String> TOP = Set.of("version", "failures", "fixes", "progress");

    private final YamlReader yaml = new YamlReader();

    /**
     * Reads a YAML file of names and single values (medic's config file, {@code medic.yaml}) into
     * plain text values, in file order; an empty file is an empty map. Errors name the file (and
     * the line and column of a syntax error); an alias is refused.
     */
    public Map<String, String> readFlatMapping(String displayName, String content) {
        JsonNode root = yaml.read(displayName, content);
        if (root.isMissingNode() || root.isNull() || (root.isObject() && root.isEmpty())) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new CatalogException(displayName + ": must be a mapping of option names to values");
        }
        Map<String, String> values = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw new CatalogException(displayName + ": " + e.getKey() + ": must be a single value");
            }
            values.put(e.getKey(), v.asText());
        });
        return values;
    }

    public Catalog load(SourceSet sources) {
        if (sources.files().isEmpty()) {
            throw new CatalogException(sources.origin() + ": no *.yaml files in the catalog folder");
        }
        Map<String, CatalogEntry> entries = new LinkedHashMap<>();
        Map<String, String> entryFile = new LinkedHashMap<>();
        Map<String, Settings> fixes = new LinkedHashMap<>();
        Map<String, YamlNode> fixNodes = new LinkedHashMap<>();
        List<ProgressPattern> progressPatterns = new ArrayList<>();
        List<LineFilter> progressIgnore = new ArrayList<>();
        Map<String, String> progressNames = new LinkedHashMap<>();
        for (SourceFile file : sources.files()) {
            YamlNode doc = yaml.document(file.displayName(), file.content());
            doc.requireObject().checkKeys(TOP);
            YamlNode version = doc.get("version");
            if (version != null && version.intValue(1, 1) != 1) {
                throw version.fail("only version 1 is understood");
            }
            YamlNode failures = doc.get("failures");
            if (failures != null) {
                for (YamlNode f : failures.list()) {
                    CatalogEntry e = FailureReader.entry(f);
                    if (entries.containsKey(e.getId())) {
                        throw f.child("id").fail("duplicate failure id '" + e.getId() + "' (also in "
                                + entryFile.get(e.getId()) + ")");
                    }
                    entries.put(e.getId(), e);
                    entryFile.put(e.getId(), file.displayName());
                }
            }
            YamlNode fixNode = doc.get("fixes");
            if (fixNode != null) {
                for (Map.Entry<String, YamlNode> e : fixNode.fields().entrySet()) {
                    if (!FailureReader.ID.matcher(e.getKey()).matches()) {
                        throw e.getValue().fail("fix ids are lower_snake_case");
                    }
                    if (fixes.containsKey(e.getKey())) {
                        throw e.getValue().fail("settings for this fix are given twice");
                    }
                    e.getValue().requireObject();
                    FixSettingsTypes.checkKeys(e.getKey(), e.getValue());
                    fixes.put(e.getKey(), new Settings(file.displayName() + ": " + e.getValue().where(), e.getValue().toMap()));
                    fixNodes.put(e.getKey(), e.getValue());
                }
            }
            YamlNode progress = doc.get("progress");
            if (progress != null) {
                ProgressReader.read(progress, progressPatterns, progressIgnore, progressNames);
            }
        }
        for (CatalogEntry e : entries.values()) {
            for (int i = 0; i < e.getConsequenceOf().size(); i++) {
                String other = e.getConsequenceOf().get(i);
                if (!entries.containsKey(other)) {
                    throw CatalogException.at(entryFile.get(e.getId()), e.getId() + ".consequence_of[" + i + "]",
                            "no failure with id '" + other + "'");
                }
            }
        }
        FixSettingsTypes.checkIds(fixNodes, entries.values());
        FixSettingsTypes.bindAll(entries.values(), fixes);
        return new Catalog(sources.describe(), sources::digest, entries, fixes,
                new ProgressParser(progressPatterns, progressIgnore));
    }
}
