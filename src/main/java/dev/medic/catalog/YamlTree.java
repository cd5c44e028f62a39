package dev.medic.catalog;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document's tree, built from the parser's tokens, and the plain Java values of a subtree:
 * what an ObjectMapper's readTree and convertValue give, without an ObjectMapper, which takes
 * about 25 ms to make in a fresh JVM, on the way from {@code medic run} to its child's start.
 */
final class YamlTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTree() {
    }

    /** The first document's root, or null for an empty document. */
    static JsonNode read(JsonParser p) throws IOException {
        return read(p, Lines.NONE);
    }

    /** The first document's root, or null for an empty document; the lines of its keys and list items go into {@code lines}. */
    static JsonNode read(JsonParser p, Lines lines) throws IOException {
        JsonToken t = p.nextToken();
        return t == null ? null : value(p, t, lines);
    }

    private static JsonNode value(JsonParser p, JsonToken t, Lines lines) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    lines.key(o, name, p.currentTokenLocation().getLineNr());
                    o.set(name, value(p, p.nextToken(), lines));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    lines.item(a, p.currentTokenLocation().getLineNr());
                    a.add(value(p, v, lines));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            case VALUE_EMBEDDED_OBJECT -> {
                Object o = p.getEmbeddedObject();
                return o instanceof byte[] b ? NODES.binaryNode(b) : NODES.pojoNode(o);
            }
            default -> throw new JsonParseException(p, "unexpected " + t, p.currentTokenLocation());
        }
    }

    /** Where a tree's keys and list items stand: the line of each key of a mapping, of each item of a list. */
    static final class Lines {
        /** Records nothing and knows no line. */
        static final Lines NONE = new Lines();

        private final Map<JsonNode, Map<String, Integer>> keys = new IdentityHashMap<>();
        private final Map<JsonNode, List<Integer>> items = new IdentityHashMap<>();

        private void key(JsonNode mapping, String key, int line) {
            if (this != NONE) {
                keys.computeIfAbsent(mapping, m -> new HashMap<>()).put(key, line);
            }
        }

        private void item(JsonNode list, int line) {
            if (this != NONE) {
                items.computeIfAbsent(list, l -> new ArrayList<>()).add(line);
            }
        }

        /** The line of {@code key} in {@code mapping}, or 0. */
        int keyLine(JsonNode mapping, String key) {
            return keys.getOrDefault(mapping, Map.of()).getOrDefault(key, 0);
        }

        /** The line of item {@code index} of {@code list}, or 0. */
        int itemLine(JsonNode list, int index) {
            List<Integer> l = items.getOrDefault(list, List.of());
            return index < l.size() ? l.get(index) : 0;
        }
    }

    /** A mapping as plain values: maps (in order), lists, strings, numbers, booleans and nulls. */
    static Map<String, Object> toMap(JsonNode mapping) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), plain(e.getValue()));
        }
        return m;
    }

    private static Object plain(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> toMap(n);
            case ARRAY -> {
                List<Object> l = new ArrayList<>();
                n.forEach(v -> l.add(plain(v)));
                yield l;
            }
            case STRING -> n.textValue();
            case NUMBER -> n.numberValue();
            case BOOLEAN -> n.booleanValue();
            case BINARY -> {
                try {
                    yield n.binaryValue();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            case POJO -> ((POJONode) n).getPojo();
            default -> null;
        };
    }
}
