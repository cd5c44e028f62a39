package dev.medic.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The positive integers a YAML or JSON config file gives to some keys, at any depth, with where each
 * one's text lies, for fixes that change a copy of a user's config in place. YAML is read as a YAML
 * 1.1 loader reads it (PyYAML, SnakeYAML): merge keys ({@code <<}) and aliases are followed, and a
 * value that more than one path reads (an anchored node used through an alias or a merge) is marked
 * as not changeable in place, since changing it would change every user of the anchor.
 */
public final class ConfigInts {
    /** Paths followed through aliases before giving up: aliases can multiply a small file's paths without end. */
    private static final int MAX_VISITS = 1_000_000;

    private final String name;
    private final String text;
    private final Set<String> keys;
    private final Map<Node, List<String>> readAt = new IdentityHashMap<>();
    private final Map<Node, String> anchorOf = new IdentityHashMap<>();
    private final List<Candidate> candidates = new ArrayList<>();
    private final Deque<Node> open = new ArrayDeque<>();
    private int visits;

    private record Candidate(String key, String path, ScalarNode node) {
    }

    private ConfigInts(String name, String text, Set<String> keys) {
        this.name = name;
        this.text = text;
        this.keys = keys;
    }

    /**
     * The integers above zero given to {@code keys}, in document order. Throws a CatalogException naming
     * the file when it is not a YAML (or JSON) document medic can follow.
     */
    public static List<ConfigInt> find(String displayName, String content, boolean json, Set<String> keys) {
        ConfigInts c = new ConfigInts(displayName, content, keys);
        return json ? c.json() : c.yaml();
    }

    private List<ConfigInt> json() {
        List<ConfigInt> found = new ArrayList<>();
        Deque<String> path = new ArrayDeque<>();
        try (JsonParser p = new JsonFactory().createParser(text)) {
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> field = p.currentName();
                    case START_OBJECT, START_ARRAY -> {
                        path.addLast(field == null ? "" : field);
                        field = null;
                    }
                    case END_OBJECT, END_ARRAY -> path.pollLast();
                    case VALUE_NUMBER_INT -> {
                        if (field != null && keys.contains(field) && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() > 0) {
                            int start = (int) p.currentTokenLocation().getCharOffset();
                            String written = p.getText();
                            if (text.startsWith(written, start)) {
                                found.add(new ConfigInt(field, join(path, field), p.getLongValue(), written, start, start + written.length(), null));
                            }
                        }
                        field = null;
                    }
                    default -> field = null;
                }
            }
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? name : name + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
            throw new CatalogException(where + ": " + e.getOriginalMessage().lines().findFirst().orElse("not JSON"));
        } catch (IOException e) {
            throw new CatalogException(name + ": " + e.getMessage());
        }
        return found;
    }

    private static String join(Deque<String> path, String field) {
        List<String> parts = new ArrayList<>();
        for (String s : path) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        parts.add(field);
        return String.join(".", parts);
    }

    private List<ConfigInt> yaml() {
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(1000);
        opts.setCodePointLimit(4 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(opts).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new CatalogException(name + ": " + e.getMessage().lines().findFirst().orElse("not YAML"));
        }
        if (root == null) {
            return List.of();
        }
        walk(root, "", null);
        List<ConfigInt> found = new ArrayList<>();
        for (Candidate c : candidates) {
            Long value = ConfigInt.parse(c.node().getValue());
            if (value == null || value <= 0) {
                continue;
            }
            int end = charIndex(c.node().getEndMark().getIndex());
            String written = c.node().getValue();
            int start = end - written.length();
            found.add(new ConfigInt(c.key(), c.path(), value, written, start, end, refusal(c, start, end)));
        }
        return found;
    }

    private String refusal(Candidate c, int start, int end) {
        List<String> paths = readAt.get(c.node());
        if (paths.size() > 1) {
            String other = paths.stream().filter(p -> !p.equals(c.path())).findFirst().orElse(paths.get(0));
            String anchor = anchorOf.get(c.node());
            return name + ": " + c.path() + " is shared through " + (anchor == null ? "an anchor" : "the anchor &" + anchor)
                    + " with " + other + "; changing it in place would change every user of the anchor";
        }
        if (c.node().getScalarStyle() != DumperOptions.ScalarStyle.PLAIN || start < 0 || !text.substring(start, end).equals(c.node().getValue())) {
            return name + ": " + c.path() + " is not written as a plain number; medic changes only a plain number in place";
        }
        return null;
    }

    /** SnakeYAML counts code points; Java strings count chars (two for a character outside the BMP). */
    private int charIndex(int codePoints) {
        return text.length() == text.codePointCount(0, text.length()) ? codePoints : text.offsetByCodePoints(0, codePoints);
    }

    /** Follows the document as a loader builds it, recording every path each scalar is read at. */
    private void walk(Node node, String path, String anchor) {
        if (++visits > MAX_VISITS) {
            throw new CatalogException(name + ": its aliases expand to more than " + MAX_VISITS + " values");
        }
        if (open.stream().anyMatch(n -> n == node)) {
            throw new CatalogException(name + ": " + path + " refers back to a node that holds it (a recursive alias)");
        }
        String shared = node.getAnchor() != null ? node.getAnchor() : anchor;
        if (node instanceof ScalarNode) {
            readAt.computeIfAbsent(node, n -> new ArrayList<>()).add(path);
            anchorOf.putIfAbsent(node, shared);
            return;
        }
        open.push(node);
        if (node instanceof SequenceNode s) {
            for (int i = 0; i < s.getValue().size(); i++) {
                walk(s.getValue().get(i), path + "[" + i + "]", shared);
            }
        } else if (node instanceof MappingNode m) {
            for (Map.Entry<String, Node> e : entries(m).entrySet()) {
                String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (keys.contains(e.getKey()) && e.getValue() instanceof ScalarNode v && v.getTag().equals(Tag.INT)) {
                    candidates.add(new Candidate(e.getKey(), at, v));
                }
                walk(e.getValue(), at, shared);
            }
        }
        open.pop();
    }

    /** A mapping's keys as a loader sees them: its own first, then what merge keys bring (the first merge wins). */
    private Map<String, Node> entries(MappingNode m) {
        if (++visits > MAX_VISITS) {
            throw new CatalogException(name + ": its aliases expand to more than " + MAX_VISITS + " values");
        }
        if (open.stream().filter(n -> n == m).count() > 1) {
            throw new CatalogException(name + ": a merge key (<<) brings in a mapping that holds it (a recursive alias)");
        }
        Map<String, Node> own = new LinkedHashMap<>();
        List<Node> merged = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
                merged.add(t.getValueNode());
            } else if (t.getKeyNode() instanceof ScalarNode k) {
                own.put(k.getValue(), t.getValueNode());
            }
        }
        for (Node source : merged) {
            List<Node> sources = source instanceof SequenceNode s ? s.getValue() : Collections.singletonList(source);
            for (Node one : sources) {
                if (one instanceof MappingNode mm) {
                    open.push(mm);
                    entries(mm).forEach(own::putIfAbsent);
                    open.pop();
                }
            }
        }
        return own;
    }
}
