package dev.medic.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.medic.facts.CatalogEntry;
import dev.medic.facts.LadderStep;
import dev.medic.facts.Signature;
import dev.medic.progress.LineFilter;
import dev.medic.progress.ProgressParser;
import dev.medic.progress.ProgressPattern;
import dev.medic.progress.ProgressRegex;
import dev.medic.util.Signals;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads every {@code *.yaml} file of a catalog folder into one {@link Catalog}. Each file may hold
 * {@code failures:} (a list) and {@code fixes:} (settings by fix id). Unknown keys, duplicate ids, bad regular expressions
 * and dangling references are errors that name the file and the property.
 */
public final class CatalogLoader {
    static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<String> TOP = Set.of("version", "failures", "fixes", "progress");
    private static final Set<String> PROGRESS = Set.of("patterns", "ignore");
    private static final Set<String> PROGRESS_PATTERN = Set.of("name", "regex", "anchors", "unit", "unless");
    private static final Set<String> FAILURE = Set.of("id", "description", "retryable", "consequence_of", "stop_after",
            "when", "signatures", "exceptions", "errno", "ladder", "escalation");
    private static final Set<String> SIGNATURE = Set.of("pattern", "stream", "exit_codes", "signal", "anchors", "by_rule", "when", "name");
    private static final Set<String> STEP = Set.of("fix", "params", "budget");
    /** Longest pattern accepted; longer ones are almost always a mistake and slow every line. */
    private static final int MAX_PATTERN = 2000;

    private final YAMLFactory yaml;

    public CatalogLoader() {
        LoaderOptions opts = new LoaderOptions();
        // a catalog is small: refuse alias bombs and huge documents instead of expanding them
        opts.setMaxAliasesForCollections(20);
        opts.setCodePointLimit(4 * 1024 * 1024);
        opts.setAllowDuplicateKeys(false);
        YAMLFactory f = YAMLFactory.builder().loaderOptions(opts).build();
        f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.yaml = f;
    }

    /**
     * Parses a catalog file or medic's config into a tree; errors name the file, line and column.
     * An alias ({@code *name}, {@code <<: *name}) is refused: the YAML reader has no aliases and
     * would read one as the string "name" without a word.
     */
    public JsonNode readYaml(String displayName, String content) {
        try (JsonParser p = yaml.createParser(content)) {
            JsonNode n = YamlTree.read(new AliasRefusingParser(p));
            return n == null || n.isMissingNode() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : n;
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? displayName : displayName + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new CatalogException(where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            throw new CatalogException(displayName + ": not a readable YAML document: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    public Catalog load(SourceSet sources) {
        if (sources.files().isEmpty()) {
            throw new CatalogException(sources.origin() + ": no *.yaml files in the catalog folder");
        }
        Map<String, CatalogEntry> entries = new LinkedHashMap<>();
        Map<String, String> entryFile = new LinkedHashMap<>();
        Map<String, Settings> fixes = new LinkedHashMap<>();
        List<ProgressPattern> progressPatterns = new ArrayList<>();
        List<LineFilter> progressIgnore = new ArrayList<>();
        Map<String, String> progressNames = new LinkedHashMap<>();
        for (SourceFile file : sources.files()) {
            JsonNode root = readYaml(file.displayName(), file.content());
            Node doc = new Node(file.displayName(), "", root);
            doc.requireObject().checkKeys(TOP);
            Node version = doc.get("version");
            if (version != null && version.intValue(1, 1) != 1) {
                throw version.fail("only version 1 is understood");
            }
            Node failures = doc.get("failures");
            if (failures != null) {
                for (Node f : failures.list()) {
                    CatalogEntry e = entry(f);
                    if (entries.containsKey(e.getId())) {
                        throw f.child("id").fail("duplicate failure id '" + e.getId() + "' (also in "
                                + entryFile.get(e.getId()) + ")");
                    }
                    entries.put(e.getId(), e);
                    entryFile.put(e.getId(), file.displayName());
                }
            }
            Node fixNode = doc.get("fixes");
            if (fixNode != null) {
                for (Map.Entry<String, Node> e : fixNode.fields().entrySet()) {
                    if (!ID.matcher(e.getKey()).matches()) {
                        throw e.getValue().fail("fix ids are lower_snake_case");
                    }
                    if (fixes.containsKey(e.getKey())) {
                        throw e.getValue().fail("settings for this fix are given twice");
                    }
                    e.getValue().requireObject();
                    fixes.put(e.getKey(), new Settings(e.getValue().where(), e.getValue().toMap()));
                }
            }
            Node progress = doc.get("progress");
            if (progress != null) {
                progress.requireObject().checkKeys(PROGRESS);
                Node patterns = progress.get("patterns");
                for (Node p : patterns == null ? List.<Node>of() : patterns.list()) {
                    progressPatterns.add(progressPattern(p, progressNames));
                }
                Node ignore = progress.get("ignore");
                for (Node i : ignore == null ? List.<Node>of() : ignore.list()) {
                    progressIgnore.add(lineFilter(i));
                }
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
        return new Catalog(sources.describe(), sources::digest, entries, fixes,
                new ProgressParser(progressPatterns, progressIgnore));
    }

    private CatalogEntry entry(Node f) {
        f.requireObject();
        String id = f.child("id").text();
        if (!ID.matcher(id).matches()) {
            throw f.child("id").fail("'" + id + "' is not a valid id (lower_snake_case, at most 64 characters)");
        }
        Node n = f.renamed(id);
        n.checkKeys(FAILURE);
        String description = n.optText("description", id);
        boolean retryable = n.get("retryable") == null || n.get("retryable").bool();
        List<String> consequenceOf = new ArrayList<>();
        Node cons = n.get("consequence_of");
        if (cons != null) {
            for (Node c : cons.list()) {
                consequenceOf.add(c.text());
            }
        }
        int stopAfter = n.get("stop_after") == null ? 0 : n.get("stop_after").intValue(0, 1_000_000);
        boolean whenFailed = n.get("when") != null && whenFailed(n.get("when"));
        List<Signature> signatures = new ArrayList<>();
        Node sigs = n.get("signatures");
        if (sigs != null) {
            int i = 0;
            for (Node s : sigs.list()) {
                signatures.add(signature(id, i++, s, whenFailed));
            }
        }
        signatures.addAll(ExceptionEntries.read(id, n, whenFailed));
        List<LadderStep> ladder = new ArrayList<>();
        Node lad = n.get("ladder");
        if (lad != null) {
            for (Node s : lad.list()) {
                ladder.add(step(s));
            }
        }
        String escalation = n.optText("escalation", "");
        return new CatalogEntry(id, description, retryable, consequenceOf, stopAfter, signatures, ladder, escalation,
                n.file());
    }

    /** {@code when: failed}: lines count only if the attempt failed; {@code when: any}: whatever the exit. */
    static boolean whenFailed(Node when) {
        String w = when.text();
        if (!w.equals("failed") && !w.equals("any")) {
            throw when.fail("must be failed (lines count only if the attempt failed) or any");
        }
        return w.equals("failed");
    }

    private Signature signature(String failureId, int index, Node s, boolean entryWhenFailed) {
        s.requireObject().checkKeys(SIGNATURE);
        Pattern pattern = null;
        List<String> anchors = List.of();
        Node p = s.get("pattern");
        if (p != null) {
            pattern = regex(p);
            anchors = s.get("anchors") != null ? anchors(s.get("anchors")) : Anchors.derive(p.text());
        } else if (s.get("anchors") != null) {
            throw s.get("anchors").fail("anchors need a pattern");
        }
        String stream = null;
        Node st = s.get("stream");
        if (st != null) {
            stream = st.text();
            if (stream.equals("any")) {
                stream = null;
            } else if (!stream.equals("stdout") && !stream.equals("stderr")) {
                throw st.fail("must be stdout, stderr or any");
            }
        }
        Set<Integer> codes = new LinkedHashSet<>();
        Node ec = s.get("exit_codes");
        if (ec != null) {
            for (Node c : ec.list()) {
                codes.add(c.intValue(-255, 255));
            }
        }
        String signal = null;
        Node sg = s.get("signal");
        if (sg != null) {
            signal = sg.text().toUpperCase(java.util.Locale.ROOT).replaceFirst("^SIG", "");
            if (!Signals.isKnownName(signal)) {
                throw sg.fail("unknown signal '" + sg.text() + "'");
            }
        }
        if (pattern == null && codes.isEmpty() && signal == null) {
            throw s.fail("a signature needs a pattern, exit_codes or a signal");
        }
        // without a pattern, by_rule hands the attempt's end (its exit codes or signal) to the rules instead of a line
        boolean byRule = s.get("by_rule") != null && s.get("by_rule").bool();
        boolean whenFailed = s.get("when") == null ? entryWhenFailed : whenFailed(s.get("when"));
        String name = s.optText("name", "");
        if (!name.isEmpty() && !ID.matcher(name).matches()) {
            throw s.get("name").fail("signature names are lower_snake_case");
        }
        return new Signature(failureId, index, name, pattern, stream, codes, signal, anchors, byRule, whenFailed);
    }

    /**
     * A progress pattern: its regex (with {@code {num}} placeholders and the catalog's group names),
     * literal anchors (given, else derived), and the rate's unit when the regex does not capture one.
     */
    private ProgressPattern progressPattern(Node p, Map<String, String> names) {
        p.requireObject().checkKeys(PROGRESS_PATTERN);
        String name = p.optText("name", "");
        if (!name.isEmpty() && !ID.matcher(name).matches()) {
            throw p.get("name").fail("progress pattern names are lower_snake_case");
        }
        if (!name.isEmpty() && names.putIfAbsent(name, p.file()) != null) {
            throw p.get("name").fail("duplicate progress pattern name '" + name + "' (also in " + names.get(name) + ")");
        }
        Node r = p.child("regex");
        ProgressRegex regex;
        try {
            regex = ProgressRegex.of(r.text());
        } catch (IllegalArgumentException e) {
            throw r.fail(e.getMessage());
        }
        List<String> anchors = p.get("anchors") != null ? anchors(p.get("anchors")) : Anchors.derive(regex.pattern().pattern());
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
    private static LineFilter lineFilter(Node n) {
        return new LineFilter(n.file() + ": " + n.where(), regex(n), Anchors.derive(n.text()));
    }

    /** A regular expression of 1 to {@link #MAX_PATTERN} characters. */
    static Pattern regex(Node p) {
        String text = p.text();
        if (text.isEmpty() || text.length() > MAX_PATTERN) {
            throw p.fail("must be a regular expression of 1 to " + MAX_PATTERN + " characters");
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw p.fail("not a valid regular expression: " + firstLine(e.getDescription()) + " near index " + e.getIndex());
        }
    }

    /** Literals given for screening, in lower case. */
    private static List<String> anchors(Node a) {
        List<String> given = new ArrayList<>();
        for (Node x : a.list()) {
            String lit = x.text();
            if (lit.isEmpty()) {
                throw x.fail("must not be empty");
            }
            given.add(lit.toLowerCase(java.util.Locale.ROOT));
        }
        return given;
    }

    private LadderStep step(Node s) {
        if (s.node().isTextual()) {
            String fix = s.text();
            checkFixId(s, fix);
            return new LadderStep(fix, Map.of(), 1);
        }
        s.requireObject().checkKeys(STEP);
        String fix = s.child("fix").text();
        checkFixId(s.child("fix"), fix);
        int budget = 1;
        Node b = s.get("budget");
        if (b != null) {
            if (!b.node().canConvertToInt() || !b.node().isIntegralNumber() || b.node().intValue() < 1) {
                throw b.fail("must be a positive integer");
            }
            budget = b.node().intValue();
        }
        Map<String, Object> params = Map.of();
        Node p = s.get("params");
        if (p != null) {
            p.requireObject();
            params = p.toMap();
        }
        return new LadderStep(fix, params, budget);
    }

    private static void checkFixId(Node where, String fix) {
        if (!ID.matcher(fix).matches()) {
            throw where.fail("'" + fix + "' is not a valid fix id (lower_snake_case)");
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** A YAML node with the file and property path it came from, so errors can name both. */
    static final class Node {
        private final String file;
        private final String path;
        private final JsonNode node;

        Node(String file, String path, JsonNode node) {
            this.file = file;
            this.path = path;
            this.node = node;
        }

        JsonNode node() {
            return node;
        }

        String file() {
            return file;
        }

        String where() {
            return path;
        }

        Node renamed(String newPath) {
            return new Node(file, newPath, node);
        }

        CatalogException fail(String problem) {
            return CatalogException.at(file, path, problem);
        }

        Node requireObject() {
            if (!node.isObject()) {
                throw fail("must be a mapping (key: value), not " + describe(node));
            }
            return this;
        }

        void checkKeys(Set<String> allowed) {
            Iterator<String> it = node.fieldNames();
            while (it.hasNext()) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw CatalogException.at(file, sub(k), "unknown property (expected one of "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
            }
        }

        private String sub(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        Node get(String key) {
            JsonNode c = node.get(key);
            return c == null || c.isNull() ? null : new Node(file, sub(key), c);
        }

        Node child(String key) {
            Node c = get(key);
            if (c == null) {
                throw CatalogException.at(file, sub(key), "is required");
            }
            return c;
        }

        List<Node> list() {
            if (!node.isArray()) {
                throw fail("must be a list, not " + describe(node));
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                out.add(new Node(file, path + "[" + i + "]", node.get(i)));
            }
            return out;
        }

        Map<String, Node> fields() {
            requireObject();
            Map<String, Node> out = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> out.put(e.getKey(), new Node(file, sub(e.getKey()), e.getValue())));
            return out;
        }

        String text() {
            if (!node.isTextual() && !node.isNumber() && !node.isBoolean()) {
                throw fail("must be a string, not " + describe(node));
            }
            return node.asText();
        }

        String optText(String key, String fallback) {
            Node c = get(key);
            return c == null ? fallback : c.text();
        }

        boolean bool() {
            if (!node.isBoolean()) {
                throw fail("must be true or false");
            }
            return node.booleanValue();
        }

        int intValue(int min, int max) {
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
                throw fail("must be an integer from " + min + " to " + max);
            }
            return node.intValue();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> toMap() {
            return YamlTree.toMap(node);
        }

        private static String describe(JsonNode n) {
            JsonNodeType t = n.getNodeType();
            return switch (t) {
                case ARRAY -> "a list";
                case OBJECT -> "a mapping";
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                default -> t.name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    private static final class AliasRefusingParser extends JsonParserDelegate {
        AliasRefusingParser(JsonParser yamlParser) {
            super(yamlParser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            if (((YAMLParser) delegate).isCurrentAlias()) {
                throw new JsonParseException(this, "YAML aliases are not supported (*" + getText()
                        + "): write the value out in full", currentTokenLocation());
            }
            return t;
        }
    }
}
