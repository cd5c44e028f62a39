package dev.medic.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML node with the file, property path and line it came from, so errors can name all three.
 * The line is 0 where it is not known (a node made from a tree without lines).
 */
final class YamlNode {
    private final String file;
    private final String path;
    private final JsonNode node;
    private final YamlTree.Lines lines;
    private final int line;

    YamlNode(String file, String path, JsonNode node, YamlTree.Lines lines, int line) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.lines = lines == null ? YamlTree.Lines.NONE : lines;
        this.line = line;
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

    YamlNode renamed(String newPath) {
        return new YamlNode(file, newPath, node, lines, line);
    }

    CatalogException fail(String problem) {
        return CatalogException.at(file, path, problem);
    }

    /** {@link #fail} with the line this node starts on, where it is known. */
    CatalogException failAtLine(String problem) {
        return CatalogException.at(line > 0 ? file + ":" + line : file, path, problem);
    }

    YamlNode requireObject() {
        if (!node.isObject()) {
            throw fail("must be a mapping (key: value), not " + describe(node));
        }
        return this;
    }

    /** Refuses a key not in {@code allowed}, naming the file, its line and its property path, and the nearest allowed key. */
    void checkKeys(Set<String> allowed) {
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!allowed.contains(k)) {
                int at = lines.keyLine(node, k);
                String file = at > 0 ? this.file + ":" + at : this.file;
                String near = Spelling.nearest(k, allowed);
                throw CatalogException.at(file, sub(k), "unknown property (" + (allowed.isEmpty() ? "none is expected here"
                        : (near == null ? "" : "did you mean " + near + "? ") + "expected one of " + String.join(", ", new TreeSet<>(allowed)))
                        + ")");
            }
        }
    }

    private String sub(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    YamlNode get(String key) {
        JsonNode c = node.get(key);
        return c == null || c.isNull() ? null : new YamlNode(file, sub(key), c, lines, lines.keyLine(node, key));
    }

    YamlNode child(String key) {
        YamlNode c = get(key);
        if (c == null) {
            throw CatalogException.at(file, sub(key), "is required");
        }
        return c;
    }

    List<YamlNode> list() {
        if (!node.isArray()) {
            throw fail("must be a list, not " + describe(node));
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new YamlNode(file, path + "[" + i + "]", node.get(i), lines, lines.itemLine(node, i)));
        }
        return out;
    }

    Map<String, YamlNode> fields() {
        requireObject();
        Map<String, YamlNode> out = new LinkedHashMap<>();
        node.fieldNames().forEachRemaining(k -> out.put(k, new YamlNode(file, sub(k), node.get(k), lines, lines.keyLine(node, k))));
        return out;
    }

    String text() {
        if (!node.isTextual() && !node.isNumber() && !node.isBoolean()) {
            throw fail("must be a string, not " + describe(node));
        }
        return node.asText();
    }

    String optText(String key, String fallback) {
        YamlNode c = get(key);
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
