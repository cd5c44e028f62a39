package dev.medic.logs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replaces the values of secret-named environment variables (names containing TOKEN, SECRET, KEY
 * or PASSWORD) with {@code ***} in text medic writes itself: the journal, messages, the console.
 * The attempt logs are the run's own output and are never redacted.
 */
public final class Redactor {
    public static final String MASK = "***";
    /** Values this short would blank out ordinary words; they are not treated as secrets. */
    private static final int MIN_SECRET = 4;
    private static final String[] SECRET_WORDS = {"TOKEN", "SECRET", "KEY", "PASSWORD", "PASSWD"};

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    public static boolean isSecretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String w : SECRET_WORDS) {
            if (upper.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** A redactor for the secret-named values of all the given environments. */
    @SafeVarargs
    public static Redactor fromEnvironments(Map<String, String>... envs) {
        List<String> values = new ArrayList<>();
        for (Map<String, String> env : envs) {
            for (Map.Entry<String, String> e : env.entrySet()) {
                String v = e.getValue();
                if (isSecretName(e.getKey()) && v != null && v.length() >= MIN_SECRET && !values.contains(v)) {
                    values.add(v);
                }
            }
        }
        // longest first, so a secret that contains another is masked whole
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(values));
    }

    /** This redactor plus the secret-named values of another environment. */
    public Redactor plus(Map<String, String> env) {
        Redactor more = fromEnvironments(env);
        if (more.secrets.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(secrets);
        for (String s : more.secrets) {
            if (!all.contains(s)) {
                all.add(s);
            }
        }
        all.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(all));
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }
}
