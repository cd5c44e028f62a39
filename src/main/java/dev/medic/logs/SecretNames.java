package dev.medic.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which names hold secrets. Environment variables are judged loosely (their values are masked
 * wherever they appear, and a variable is rarely named TOKEN by accident); command-line flags,
 * {@code key=value} keys and sweep parameters strictly, by their last word, because ML commands
 * are full of {@code --max-tokens}, {@code --pad-token} and {@code --sort-key} whose values are
 * not secrets and whose masking would keep a run from being resumed. The lists are documented in
 * references/escalation.md.
 */
public final class SecretNames {
    private static final String[] ENV_WORDS = {"TOKEN", "SECRET", "KEY", "PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL"};
    /** Last words that make a flag or key secret on their own. */
    private static final Set<String> SECRET_LAST = Set.of("password", "passwd", "pass", "pwd", "passphrase", "secret",
            "credential", "credentials", "auth", "apikey", "accesskey", "secretkey", "privatekey", "authtoken", "accesstoken");
    /** Words before "token" that make it a tokenizer's token or a count, not a credential. */
    private static final Set<String> TOKENIZER_ROLES = Set.of("pad", "eos", "bos", "unk", "sep", "mask", "cls", "special",
            "start", "end", "stop", "begin", "sentinel", "image", "audio", "video", "placeholder", "additional", "extra", "sos",
            "default", "decoder", "max", "min", "num", "no");
    /** Words before "key" that make it a credential rather than a column, a sort or a metric name. */
    private static final Set<String> KEY_KINDS = Set.of("api", "access", "secret", "private", "auth", "license", "licence",
            "encryption", "signing", "client", "master", "session", "ssh", "app", "service", "account", "subscription", "hub",
            "hf", "wandb", "openai", "anthropic", "comet", "neptune", "aws", "gcp", "azure", "storage", "deploy", "webhook", "sas");

    /** Last words of variables that name where a secret is kept, not the secret ({@code SSL_KEY_FILE}). */
    private static final Set<String> PATH_WORDS = Set.of("file", "path", "dir", "folder");
    /** Words that end in PASS or PWD and are not passwords. */
    private static final Set<String> NOT_PASSWORDS = Set.of("bypass", "askpass", "compass", "surpass", "oldpwd");

    private SecretNames() {
    }

    /**
     * An environment variable whose value is a secret: its name contains TOKEN, SECRET, KEY,
     * PASSWORD, PASSWD, PASSPHRASE or CREDENTIAL, or one of its words is or ends in PASS or PWD
     * ({@code DB_PASS}, {@code MYSQL_PWD}; not {@code PWD} and {@code OLDPWD}, the working folder),
     * or its last word is AUTH, or a word is DSN. A name whose last word is FILE, PATH, DIR or
     * FOLDER holds where a secret is kept, not the secret ({@code SSL_KEY_FILE}); BYPASS, ASKPASS
     * and COMPASS are not passwords.
     */
    public static boolean environment(String name) {
        List<String> words = words(name);
        if (!words.isEmpty() && PATH_WORDS.contains(words.get(words.size() - 1))) {
            return false;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        for (String w : ENV_WORDS) {
            if (upper.contains(w)) {
                return true;
            }
        }
        if (upper.equals("PWD") || upper.equals("OLDPWD")) {
            return false;
        }
        for (String w : words) {
            if ((w.endsWith("pass") || w.endsWith("pwd") || w.equals("dsn")) && !NOT_PASSWORDS.contains(w)) {
                return true;
            }
        }
        return !words.isEmpty() && words.get(words.size() - 1).equals("auth");
    }

    /**
     * A flag ({@code --api-key}), a {@code key=value} key ({@code db.password}) or a sweep parameter
     * ({@code hf_token}) whose value is a secret, judged by its last word: password, passwd, pass,
     * pwd, passphrase, secret, credential(s), auth (or a word ending in password/passwd); token,
     * unless a tokenizer role or a count comes before it ({@code --pad-token}, {@code --max-token});
     * key after api, access, secret, private, auth, client, ssh and other credential kinds.
     */
    public static boolean argument(String name) {
        List<String> words = words(name);
        if (words.isEmpty()) {
            return false;
        }
        String last = words.get(words.size() - 1);
        String before = words.size() > 1 ? words.get(words.size() - 2) : "";
        if (SECRET_LAST.contains(last) || last.endsWith("password") || last.endsWith("passwd")) {
            return true;
        }
        if (last.equals("token")) {
            return !TOKENIZER_ROLES.contains(before);
        }
        return last.equals("key") && KEY_KINDS.contains(before);
    }

    /** Lower-case words of a name: split at '-', '_', '.', blanks and lower-to-upper case changes ({@code dbPassword}). */
    static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean split = !Character.isLetterOrDigit(c);
            boolean camel = i > 0 && Character.isUpperCase(c) && Character.isLowerCase(name.charAt(i - 1));
            if ((split || camel) && w.length() > 0) {
                out.add(w.toString().toLowerCase(Locale.ROOT));
                w.setLength(0);
            }
            if (!split) {
                w.append(c);
            }
        }
        if (w.length() > 0) {
            out.add(w.toString().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
