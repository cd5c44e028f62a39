package dev.medic.fix;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A value an executor may rewrite, found in a command line: {@code --flag V}, {@code --flag=V},
 * {@code key=V} / {@code +a.key=V} overrides (Hydra, OmegaConf) and {@code --a.key V} (Lightning
 * CLI). Only the value part is ever replaced; every other argument stays exactly as it was.
 */
public record ArgValue(int index, String prefix, String value, String name) {
    private static final Pattern HYDRA_KEY = Pattern.compile("(\\+\\+|\\+|~)?[A-Za-z_][A-Za-z0-9_.\\-]*");

    /** The argument with its value replaced. */
    public String replaced(String newValue) {
        return prefix + newValue;
    }

    /** Where it is, for messages: {@code argv[4] --batch-size}. */
    public String describe() {
        return "argv[" + index + "] " + name;
    }

    /**
     * Finds every value given by one of {@code flags} (exact spellings) or by an override whose
     * last key part is one of {@code keys}, and whose value satisfies {@code valueShape}.
     */
    public static List<ArgValue> find(List<String> argv, Set<String> flags, Set<String> keys, Pattern valueShape) {
        List<ArgValue> out = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            boolean isFlag = a.startsWith("-");
            if (!isFlag && eq > 0 && i > 0 && takesValue(argv.get(i - 1))) {
                // "--tag batch_size=8": the value of --tag, not an override
                continue;
            }
            boolean owned = isFlag ? flags.contains(name) || (name.startsWith("--") && dottedKeyMatches(name.substring(2), keys))
                    : eq > 0 && HYDRA_KEY.matcher(name).matches() && lastKeyMatches(name, keys);
            if (!owned) {
                continue;
            }
            if (eq >= 0) {
                String v = a.substring(eq + 1);
                if (valueShape.matcher(v).matches()) {
                    out.add(new ArgValue(i, a.substring(0, eq + 1), v, name));
                }
            } else if (i + 1 < argv.size() && valueShape.matcher(argv.get(i + 1)).matches()) {
                out.add(new ArgValue(i + 1, "", argv.get(i + 1), name));
                i++;
            }
        }
        return out;
    }

    /** Flags after which key=value overrides follow: Hydra's own switches, and flags that take a list of overrides. */
    private static final Set<String> BEFORE_OVERRIDES = Set.of("-m", "--multirun", "--resolve", "--help", "-h",
            "--cfg-options", "--cfg_options", "--options", "--opts", "--set", "--override", "--overrides");

    /** True for a flag that presumably takes the next argument as its value: no '=' of its own, and not a known switch. */
    private static boolean takesValue(String previous) {
        return previous.startsWith("-") && previous.length() > 1 && previous.indexOf('=') < 0
                && !BEFORE_OVERRIDES.contains(previous) && !previous.matches("-[0-9.].*");
    }

    private static boolean dottedKeyMatches(String name, Set<String> keys) {
        return name.indexOf('.') > 0 && lastKeyMatches(name, keys);
    }

    private static boolean lastKeyMatches(String name, Set<String> keys) {
        String bare = name.replaceFirst("^(\\+\\+|\\+|~)", "");
        int dot = bare.lastIndexOf('.');
        return keys.contains(dot < 0 ? bare : bare.substring(dot + 1));
    }
}
