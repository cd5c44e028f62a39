package dev.medic.logs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replaces secrets with {@code ***} in text medic writes itself (the journal, notifications, the
 * console): the values of secret-named environment variables (names containing TOKEN, SECRET, KEY
 * or PASSWORD), and values that look like secrets wherever they come from: Telegram bot tokens,
 * Hugging Face tokens, AWS access keys, bearer headers, and {@code password=}/{@code token=} pairs.
 * The attempt logs are the run's own output and are never redacted.
 */
public final class Redactor {
    public static final String MASK = "***";
    /** Values this short would blank out ordinary words; they are not treated as secrets. */
    private static final int MIN_SECRET = 4;
    private static final String[] SECRET_WORDS = {"TOKEN", "SECRET", "KEY", "PASSWORD", "PASSWD"};

    private final List<String> secrets;

    /** Secret-looking values: the whole match, or group 1 where a key must stay readable. */
    private static final java.util.regex.Pattern[] LOOKS_SECRET = {
            java.util.regex.Pattern.compile("\\b\\d{6,12}:[A-Za-z0-9_-]{30,}"),                       // Telegram bot token
            java.util.regex.Pattern.compile("\\bhf_[A-Za-z0-9]{20,}"),                                 // Hugging Face
            java.util.regex.Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),                          // AWS access key id
            java.util.regex.Pattern.compile("\\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}"),          // GitHub
            java.util.regex.Pattern.compile("\\bsk-[A-Za-z0-9_-]{20,}"),                                 // OpenAI-style API keys
            java.util.regex.Pattern.compile("\\bxox[abpr]-[A-Za-z0-9-]{10,}"),                           // Slack
            java.util.regex.Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/=-]{8,})"),
            java.util.regex.Pattern.compile("(?i)\\b(?:password|passwd|pwd|token|secret|api[_-]?key|access[_-]?key|secret[_-]?access[_-]?key)[\"']?\\s*[=:]\\s*[\"']?([^\\s\"'&,;()*]{4,})"),
    };

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
                if (isSecretName(e.getKey()) && v != null) {
                    // a multi-line value (a PEM key) is printed line by line: mask each line too
                    for (String part : (v + "\n" + v.replace("\r", "")).split("\n")) {
                        if (part.length() >= MIN_SECRET && !values.contains(part)) {
                            values.add(part);
                        }
                    }
                    if (v.length() >= MIN_SECRET && !values.contains(v)) {
                        values.add(v);
                    }
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
        if (text == null) {
            return null;
        }
        String out = maskSecrets(text);
        for (java.util.regex.Pattern p : LOOKS_SECRET) {
            java.util.regex.Matcher m = p.matcher(out);
            if (!m.find()) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            int last = 0;
            do {
                int from = m.groupCount() >= 1 && m.group(1) != null ? m.start(1) : m.start();
                int to = m.groupCount() >= 1 && m.group(1) != null ? m.end(1) : m.end();
                b.append(out, last, from).append(MASK);
                last = to;
            } while (m.find());
            out = b.append(out, last, out.length()).toString();
        }
        // a pattern's mask beside the text can spell a secret with a '*' as well
        return maskSecrets(out);
    }

    /**
     * Masks the secrets until none is left: a secret with a '*' in it can be spelled again by a
     * mask and the text beside it ({@code Passw0rd*} in {@code Passw0rdPassw0rd*} leaves
     * {@code Passw0rd***}). Each pass shortens the text (secrets are longer than the mask), so it ends.
     */
    private String maskSecrets(String text) {
        String out = text;
        boolean masked = true;
        while (masked) {
            masked = false;
            for (String s : secrets) {
                if (out.contains(s)) {
                    out = out.replace(s, MASK);
                    masked = true;
                }
            }
        }
        return out;
    }
}
