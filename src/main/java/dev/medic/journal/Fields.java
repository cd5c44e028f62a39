package dev.medic.journal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One record's fields as parsed, read leniently: a journal written by any medic version (or cut
 * short, or edited) reads as far as it makes sense, and a missing or mistyped field reads as its
 * default rather than failing the whole record.
 */
final class Fields {
    private final Map<String, Object> m;

    Fields(Map<String, Object> m) {
        this.m = m;
    }

    Object raw(String k) {
        return m.get(k);
    }

    /** The value as text (a number or boolean as it prints); null when missing or null. */
    String text(String k) {
        Object v = m.get(k);
        return v == null ? null : v instanceof String s ? s : String.valueOf(v);
    }

    int integer(String k, int absent) {
        return m.get(k) instanceof Number n ? n.intValue() : absent;
    }

    Integer optInteger(String k) {
        return m.get(k) instanceof Number n ? n.intValue() : null;
    }

    long number(String k) {
        return m.get(k) instanceof Number n ? n.longValue() : 0;
    }

    Long optNumber(String k) {
        return m.get(k) instanceof Number n ? n.longValue() : null;
    }

    boolean bool(String k, boolean absent) {
        return m.get(k) instanceof Boolean b ? b : absent;
    }

    Boolean optBool(String k) {
        return m.get(k) instanceof Boolean b ? b : null;
    }

    /** The texts of an array; empty when missing. */
    List<String> strings(String k) {
        return m.get(k) instanceof List<?> l ? texts(l) : List.of();
    }

    /** As {@link #strings}, null when the field is not an array. */
    List<String> optStrings(String k) {
        return m.get(k) instanceof List<?> l ? texts(l) : null;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String k) {
        return m.get(k) instanceof Map<?, ?> v ? new LinkedHashMap<>((Map<String, Object>) v) : new LinkedHashMap<>();
    }

    Map<String, String> textMap(String k) {
        Map<String, String> out = new LinkedHashMap<>();
        map(k).forEach((key, v) -> out.put(key, v == null ? null : String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    List<Fields> objects(String k) {
        List<Fields> out = new ArrayList<>();
        if (m.get(k) instanceof List<?> l) {
            for (Object o : l) {
                out.add(new Fields(o instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of()));
            }
        }
        return out;
    }

    Instant instant(String k) {
        try {
            return m.get(k) instanceof String s ? Instant.parse(s) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The fields other than the head and {@code known}, in their order. */
    Map<String, Object> except(List<String> known) {
        Map<String, Object> out = body();
        out.keySet().removeAll(known);
        return out;
    }

    /** The fields other than the record's head ({@code ts}, {@code event}, {@code attempt}). */
    Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.keySet().removeAll(List.of("ts", "event", "attempt"));
        return out;
    }

    private static List<String> texts(List<?> l) {
        List<String> out = new ArrayList<>();
        l.forEach(x -> out.add(x == null ? "null" : String.valueOf(x)));
        return out;
    }

    /** A record's fields being written, in the order they are put. */
    static final class Out {
        private final Map<String, Object> m = new LinkedHashMap<>();

        Out put(String k, Object v) {
            m.put(k, v);
            return this;
        }

        /** Puts {@code v} unless it is null: a field only some records of a kind carry. */
        Out optional(String k, Object v) {
            return v == null ? this : put(k, v);
        }

        Out putAll(Map<String, ?> fields) {
            m.putAll(fields);
            return this;
        }

        Map<String, Object> map() {
            return m;
        }
    }
}
