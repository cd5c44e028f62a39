package dev.medic.logs;

import dev.medic.facts.Evidence;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets with {@code ***} in text medic writes itself (the journal, notifications, the
 * console, sweep files): the values of secret-named environment variables ({@link SecretNames#environment}),
 * passwords of URLs in any environment variable ({@code DATABASE_URL}), values medic is told are
 * secret (a sweep's secret parameters), and values that look like secrets wherever they come from:
 * the value after a secret-named flag or key ({@code --password x}, {@code --api-key=x},
 * {@code db.password: x}, {@link SecretNames#argument}), a URL's password ({@code scheme://user:x@}),
 * Telegram, Hugging Face, GitHub, OpenAI, Slack, Google and AWS keys, bearer headers.
 * The attempt logs are the run's own output and are never redacted.
 */
public final class Redactor {
    public static final String MASK = "***";
    /** Values this short would blank out ordinary words; they are not treated as secrets. */
    private static final int MIN_SECRET = 4;
    /** How much of a cut line's previous piece is kept to redact the next piece: longer than any secret's key and separator. */
    public static final int CUT_CONTEXT = 1024;
    /** At most this much of the token a cut splits is masked at the end of a piece. */
    private static final int CUT_TOKEN = 256;

    /** A URL's password, group 1: scheme://user:PASSWORD@host (the user may be empty, as Redis has it). */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*+://[^\\s/:@]*+:([^\\s/@]++)@");
    /** Secret-looking values: the whole match, or group 1 where a key must stay readable. */
    private static final Pattern[] LOOKS_SECRET = {
            Pattern.compile("\\b\\d{6,12}:[A-Za-z0-9_-]{30,}"),                       // Telegram bot token
            Pattern.compile("\\bhf_[A-Za-z0-9]{20,}"),                                 // Hugging Face
            Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),                          // AWS access key id
            Pattern.compile("\\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}"),          // GitHub
            Pattern.compile("\\bsk-[A-Za-z0-9_-]{20,}"),                                 // OpenAI-style API keys
            Pattern.compile("\\bxox[abpr]-[A-Za-z0-9-]{10,}"),                           // Slack
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),                                 // Google API key
            Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/=-]{8,})"),
            URL_PASSWORD,
    };
    /** A value, quoted or bare; group 1, 2 or 3 is the value itself. */
    private static final String VALUE = "(?:\"([^\"\\n]*)\"|'([^'\\n]*)'|([^\\s\"'&,;()*]+))";
    /** {@code name=value}, {@code --name=value}, {@code "name": "value"}: group 1 is the name. */
    private static final Pattern NAMED = Pattern.compile("(?<![\\w.-])-{0,2}([A-Za-z][\\w.-]*+)[\"']?[ \\t]*[=:][ \\t]*" + VALUE);
    /** {@code --name value} in text: group 1 is the flag's name; a value starting "--" is the next flag. */
    private static final Pattern FLAG_SPACE = Pattern.compile("(?<![\\w.-])--?([A-Za-z][\\w.-]*+)[ \\t]+(?!--)" + VALUE);
    /** A flag alone in an argv element: its value is the next element. */
    private static final Pattern FLAG = Pattern.compile("--?([A-Za-z][\\w.-]*)");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    /** A redactor for the secret values of all the given environments. */
    @SafeVarargs
    public static Redactor fromEnvironments(Map<String, String>... envs) {
        List<String> values = new ArrayList<>();
        for (Map<String, String> env : envs) {
            for (Map.Entry<String, String> e : env.entrySet()) {
                String v = e.getValue();
                if (v == null) {
                    continue;
                }
                if (SecretNames.environment(e.getKey())) {
                    add(values, v);
                } else {
                    // DATABASE_URL=postgres://app:PASSWORD@db/prod: the password alone is a secret too
                    Matcher m = URL_PASSWORD.matcher(v);
                    while (m.find()) {
                        add(values, m.group(1));
                    }
                }
            }
        }
        return new Redactor(sorted(values));
    }

    /** This redactor plus the secret values of another environment. */
    public Redactor plus(Map<String, String> env) {
        return plusValues(fromEnvironments(env).secrets);
    }

    /** This redactor plus values known to be secret (a sweep's secret parameters). */
    public Redactor plusValues(Collection<String> more) {
        List<String> all = new ArrayList<>(secrets);
        for (String s : more) {
            add(all, s);
        }
        return all.size() == secrets.size() ? this : new Redactor(sorted(all));
    }

    private static void add(List<String> values, String v) {
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

    private static List<String> sorted(List<String> values) {
        // longest first, so a secret that contains another is masked whole
        values.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(values);
    }

    /** True when the value holds a secret (or is one): redacting it would change it. */
    public boolean hides(String value) {
        return !redact(value).equals(value);
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        BitSet hide = new BitSet(text.length());
        mark(text, hide);
        return render(text, 0, hide);
    }

    /**
     * An argv list: each argument redacted, and the argument after a secret-named flag
     * ({@code --password}, {@code --api-key}) masked whole, unless it is the next flag.
     */
    public List<String> redactArgv(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size());
        boolean valueNext = false;
        for (String a : argv) {
            if (valueNext && !a.startsWith("--")) {
                out.add(MASK);
                valueNext = false;
                continue;
            }
            Matcher flag = FLAG.matcher(a);
            valueNext = flag.matches() && SecretNames.argument(flag.group(1));
            out.add(redact(a));
        }
        return out;
    }

    /**
     * The values {@link #redactArgv} hides by their place in {@code argv} (after a secret-named flag,
     * in {@code --name=value}, a URL's password): the program may print them elsewhere, without
     * the flag, so they are masked by value from then on ({@link #plusValues}).
     */
    public static List<String> argvSecrets(List<String> argv) {
        List<String> out = new ArrayList<>();
        boolean valueNext = false;
        for (String a : argv) {
            if (valueNext && !a.startsWith("--")) {
                out.add(a);
            }
            Matcher flag = FLAG.matcher(a);
            valueNext = flag.matches() && SecretNames.argument(flag.group(1));
            Matcher named = NAMED.matcher(a);
            if (named.lookingAt() && SecretNames.argument(named.group(1))) {
                String v = named.group(2) != null ? named.group(2) : named.group(3) != null ? named.group(3) : named.group(4);
                if (v != null) {
                    out.add(v);
                }
            }
            Matcher url = URL_PASSWORD.matcher(a);
            while (url.find()) {
                out.add(url.group(1));
            }
        }
        return out;
    }

    /**
     * An evidence line's text. A line longer than the splitter's limit comes in pieces, and a secret
     * can straddle a cut: a later piece is redacted together with the end of the piece before it
     * ({@link Evidence#precededBy()}), and a piece the line goes on past loses the token the cut
     * splits and any end of it that starts a known secret.
     */
    public String redactEvidence(Evidence e) {
        String before = e.precededBy();
        String s = before + e.text();
        int from = before.length();
        BitSet hide = new BitSet(s.length());
        mark(s, hide);
        if (!before.isEmpty()) {
            hideSecretEndAtStart(s, from, hide);
        }
        if (e.continues()) {
            hideSecretStartAtEnd(s, from, hide);
            int start = s.length();
            while (start > from && s.length() - start < CUT_TOKEN && isTokenChar(s.charAt(start - 1))) {
                start--;
            }
            hide.set(start, s.length());
        }
        return render(s, from, hide);
    }

    /** The characters of a token (a key, a URL, base64): what a cut at the end of a piece may split. */
    private static boolean isTokenChar(char c) {
        return Character.isLetterOrDigit(c) || "_+/=.~%:@-".indexOf(c) >= 0;
    }

    /** Marks every secret and every secret-looking value in {@code s}. */
    private void mark(String s, BitSet hide) {
        for (String secret : secrets) {
            for (int i = s.indexOf(secret); i >= 0; i = s.indexOf(secret, i + 1)) {
                hide.set(i, i + secret.length());
            }
        }
        for (Pattern p : LOOKS_SECRET) {
            Matcher m = p.matcher(s);
            while (m.find()) {
                int g = m.groupCount() >= 1 && m.group(1) != null ? 1 : 0;
                hide.set(m.start(g), m.end(g));
            }
        }
        for (Pattern p : new Pattern[] {NAMED, FLAG_SPACE}) {
            Matcher m = p.matcher(s);
            while (m.find()) {
                if (SecretNames.argument(m.group(1))) {
                    for (int g = 2; g <= 4; g++) {
                        if (m.group(g) != null) {
                            hide.set(m.start(g), m.end(g));
                        }
                    }
                }
            }
        }
    }

    /** A piece that starts mid-line may start with the end of a secret longer than the context kept before it. */
    private void hideSecretEndAtStart(String s, int from, BitSet hide) {
        for (String secret : secrets) {
            for (int k = Math.min(secret.length() - 1, s.length() - from); k > 0; k--) {
                if (s.startsWith(secret.substring(secret.length() - k), from)) {
                    hide.set(from, from + k);
                    break;
                }
            }
        }
    }

    /** A piece the line goes on past may end with the start of a secret. */
    private void hideSecretStartAtEnd(String s, int from, BitSet hide) {
        for (String secret : secrets) {
            for (int k = Math.min(secret.length() - 1, s.length() - from); k > 0; k--) {
                if (s.endsWith(secret.substring(0, k))) {
                    hide.set(s.length() - k, s.length());
                    break;
                }
            }
        }
    }

    /** {@code s} from {@code from} on, each run of hidden characters one mask. */
    private String render(String s, int from, BitSet hide) {
        if (hide.nextSetBit(from) < 0) {
            return maskSecrets(from == 0 ? s : s.substring(from));
        }
        StringBuilder b = new StringBuilder(s.length() - from);
        int i = from;
        while (i < s.length()) {
            int start = hide.nextSetBit(i);
            if (start < 0) {
                b.append(s, i, s.length());
                break;
            }
            int end = hide.nextClearBit(start);
            b.append(s, i, start).append(MASK);
            i = end;
        }
        return maskSecrets(b.toString());
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
