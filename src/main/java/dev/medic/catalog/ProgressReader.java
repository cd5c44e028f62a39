package dev.medic.catalog;

import dev.medic.progress.LineFilter;
import dev.medic.progress.ProgressPattern;
import dev.medic.progress.ProgressRegex;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A catalog's {@code progress:} section: patterns that read a trainer's progress, and lines that are not progress. */
final class ProgressReader {
    private static final Set<String> PROGRESS = Set.of("patterns", "ignore");
    private static final Set<String> PROGRESS_PATTERN = Set.of("name", "regex", "anchors", "unit", "unless");

    private ProgressReader() {
    }

    /** Adds the section's patterns and ignored lines; {@code names} holds the pattern names met so far and their files. */
    static void read(YamlNode progress, List<ProgressPattern> patterns, List<LineFilter> ignored, Map<String, String> names) {
        progress.requireObject().checkKeys(PROGRESS);
        YamlNode p = progress.get("patterns");
        for (YamlNode n : p == null ? List.<YamlNode>of() : p.list()) {
            patterns.add(progressPattern(n, names));
        }
        YamlNode ignore = progress.get("ignore");
        for (YamlNode i : ignore == null ? List.<YamlNode>of() : ignore.list()) {
            ignored.add(lineFilter(i));
        }
    }

    /**
     * A progress pattern: its regex (with {@code {num}} placeholders and the catalog's group names),
     * literal anchors (given, else derived), and the rate's unit when the regex does not capture one.
     */
    private static ProgressPattern progressPattern(YamlNode p, Map<String, String> names) {
        p.requireObject().checkKeys(PROGRESS_PATTERN);
        String name = p.optText("name", "");
        if (!name.isEmpty() && !FailureReader.ID.matcher(name).matches()) {
            throw p.get("name").fail("progress pattern names are lower_snake_case");
        }
        if (!name.isEmpty() && names.putIfAbsent(name, p.file()) != null) {
            throw p.get("name").fail("duplicate progress pattern name '" + name + "' (also in " + names.get(name) + ")");
        }
        YamlNode r = p.child("regex");
        ProgressRegex regex;
        try {
            regex = ProgressRegex.of(r.text());
        } catch (IllegalArgumentException e) {
            throw r.fail(e.getMessage());
        }
        List<String> anchors = p.get("anchors") != null ? FailureReader.anchors(p.get("anchors")) : Anchors.derive(regex.pattern().pattern());
        String unit = p.optText("unit", null);
        if (unit != null && unit.isBlank()) {
            throw p.get("unit").fail("must not be empty");
        }
        LineFilter unless = p.get("unless") == null ? null : lineFilter(p.get("unless"));
        try {
            return new ProgressPattern(p.file() + ": " + p.where() + (name.isEmpty() ? "" : " (" + name + ")"), regex, anchors, unit, unless);
        } catch (IllegalArgumentException e) {
            throw CatalogException.at(p.file(), p.where() + ".unit", e.getMessage());
        }
    }

    /** Lines a regular expression finds are not progress; its anchors are derived from it. */
    private static LineFilter lineFilter(YamlNode n) {
        return new LineFilter(n.file() + ": " + n.where(), FailureReader.regex(n), Anchors.derive(n.text()));
    }

}
