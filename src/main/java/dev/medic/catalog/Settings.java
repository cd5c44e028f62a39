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
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

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

    /** A mapping of names to scalars (strings, numbers, booleans) as text, in the catalog's order. */
    public Map<String, String> map(String key) {
        Object v = values.get(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw fail(key, "must be a mapping (name: value)");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String value = scalar(e.getValue());
            if (value == null || value.isEmpty()) {
                throw fail(key + "." + e.getKey(), "must be a non-empty string, number or boolean");
            }
            out.put(String.valueOf(e.getKey()), value);
        }
        return out;
    }

    /** A mapping of names to lists of non-empty strings. */
    public Map<String, List<String>> listMap(String key) {
        Object v = values.get(key);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw fail(key, "must be a mapping (name: [strings])");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof List<?> list)) {
                throw fail(key + "." + e.getKey(), "must be a list of strings");
            }
            List<String> l = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String str) || str.isEmpty()) {
                    throw fail(key + "." + e.getKey(), "must be a list of non-empty strings");
                }
                l.add(str);
            }
            out.put(String.valueOf(e.getKey()), l);
        }
        return out;
    }

    /** True or false, also written as text. */
    public boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String str && (str.equalsIgnoreCase("true") || str.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(str);
        }
        throw fail(key, "must be true or false");
    }

    /** A scalar as the text a command line gets; numbers keep their written form where YAML allows. */
    public String text(String key, String fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        String t = scalar(v);
        if (t == null || t.isEmpty()) {
            throw fail(key, "must be a non-empty string or number");
        }
        return t;
    }

    private static String scalar(Object v) {
        if (v instanceof String str) {
            return str;
        }
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            return v.toString();
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Number n) {
            return java.math.BigDecimal.valueOf(n.doubleValue()).toPlainString();
        }
        return null;
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

    /** A number, also when the YAML has it as text (YAML 1.1 reads {@code 1e-8} as a string). */
    public double number(String key, double fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String str && NUMBER.matcher(str.strip()).matches()) {
            return Double.parseDouble(str.strip());
        }
        throw fail(key, "must be a number");
    }

    /** A factor that scales something down: strictly between 0 and 1. */
    public double fraction(String key, double fallback) {
        double f = number(key, fallback);
        if (!(f > 0 && f < 1)) {
            throw fail(key, "must be between 0 and 1 (exclusive)");
        }
        return f;
    }

    public double nonNegative(String key, double fallback) {
        double n = number(key, fallback);
        if (!(n >= 0)) {
            throw fail(key, "must be zero or more");
        }
        return n;
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
