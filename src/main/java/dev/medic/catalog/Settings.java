package dev.medic.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fix's settings from the catalog ({@code fixes.<id>}) with a ladder rung's {@code params}
 * laid over them. Typed getters fail with a message naming where the value came from.
 */
public final class Settings {
    private final String where;
    private final Map<String, Object> values;

    public Settings(String where, Map<String, Object> values) {
        this.where = where;
        this.values = Map.copyOf(values);
    }

    public static Settings empty(String where) {
        return new Settings(where, Map.of());
    }

    /** These settings with {@code params} laid over them. */
    public Settings with(String paramsWhere, Map<String, Object> params) {
        if (params.isEmpty()) {
            return this;
        }
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.putAll(params);
        return new Settings(where + " + " + paramsWhere, m);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw fail(key, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s) || s.isEmpty()) {
                throw fail(key, "must be a list of non-empty strings");
            }
            out.add(s);
        }
        return out;
    }

    public int integer(String key, int fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw fail(key, "must be an integer");
    }

    public double number(String key, double fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw fail(key, "must be a number");
    }

    public String string(String key, String fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            return s;
        }
        throw fail(key, "must be a string");
    }

    public CatalogException fail(String key, String problem) {
        return new CatalogException(where + "." + key + ": " + problem);
    }

    @Override
    public String toString() {
        return where + " " + values;
    }
}
