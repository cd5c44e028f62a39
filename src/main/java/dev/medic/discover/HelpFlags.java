package dev.medic.discover;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads argparse and click help text: an option line starts (indented) with its option strings
 * ({@code -b, --batch-size BATCH_SIZE}); its default is argparse's {@code (default: X)} or
 * click's {@code [default: X]} on that line or the description lines under it.
 */
final class HelpFlags {
    private static final Pattern OPTION_LINE = Pattern.compile("^\\s{1,8}(-{1,2}[A-Za-z0-9][\\w.\\-/]*(?:[ =][^,\\s]+)?(?:,\\s*-{1,2}[A-Za-z0-9][\\w.\\-/]*(?:[ =][^,\\s]+)?)*)(.*)$");
    private static final Pattern NAME = Pattern.compile("-{1,2}[A-Za-z0-9][\\w.\\-]*");
    private static final Pattern DEFAULT = Pattern.compile("[(\\[]default:\\s*([^)\\]]*)[)\\]]");

    private HelpFlags() {
    }

    static ProgramFlags read(Path script, String help) {
        Map<String, ProgramFlags.Flag> flags = new LinkedHashMap<>();
        List<String> names = List.of();
        StringBuilder description = new StringBuilder();
        for (String line : help.split("\\R")) {
            // click writes a boolean pair as `--amp / --no-amp`
            Matcher m = OPTION_LINE.matcher(line.replace(" / -", "/-"));
            if (m.matches()) {
                record(flags, names, description.toString());
                names = new java.util.ArrayList<>();
                // `-b N, --batch-size N`: the first word of each part is an option string; `--a/--no-a` (click) is two
                for (String part : m.group(1).split(",\\s*")) {
                    for (String n : part.split("[ =]", 2)[0].split("/")) {
                        if (NAME.matcher(n).matches()) {
                            names.add(n);
                        }
                    }
                }
                description = new StringBuilder(m.group(2));
            } else if (!names.isEmpty() && line.startsWith(" ")) {
                description.append(' ').append(line.strip());
            } else {
                record(flags, names, description.toString());
                names = List.of();
                description = new StringBuilder();
            }
        }
        record(flags, names, description.toString());
        flags.remove("-h");
        flags.remove("--help");
        String why = flags.isEmpty() ? "its --help output lists no flags" : null;
        return new ProgramFlags(script.toString(), "help", flags, List.of(), false, Map.of(), why);
    }

    private static void record(Map<String, ProgramFlags.Flag> flags, List<String> names, String description) {
        Matcher d = DEFAULT.matcher(description);
        String def = d.find() ? d.group(1).strip() : null;
        for (String n : names) {
            flags.putIfAbsent(n, new ProgramFlags.Flag(n, def, null, "its --help output"));
        }
    }
}
