package dev.medic.discover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a script shows signs of parsing its command line with a library that prints help
 * (argparse, click, typer, fire, ...), in its own text or in a module next to it that it imports.
 * Without such signs {@code --help} is not asked: the script would not print usage, it would just
 * start, and a probe must not run the training.
 */
final class ParserHints {
    private static final List<String> SIGNS = List.of("argparse", "ArgumentParser", "parse_args", "import click", "from click",
            "import typer", "from typer", "import fire", "from fire", "jsonargparse", "absl", "HfArgumentParser", "LightningCLI",
            "docopt", "simple_parsing", "tyro");
    private static final Pattern LOCAL_IMPORT = Pattern.compile("(?m)^\\s*(?:from|import)\\s+([A-Za-z_][A-Za-z0-9_]*)");
    private static final long MAX_BYTES = 1 << 20;

    private ParserHints() {
    }

    static boolean parsesArguments(Path script, String source) {
        if (hasSign(source)) {
            return true;
        }
        Path dir = script.getParent();
        Matcher m = LOCAL_IMPORT.matcher(source);
        while (dir != null && m.find()) {
            Path module = dir.resolve(m.group(1) + ".py");
            try {
                if (Files.isRegularFile(module) && Files.size(module) <= MAX_BYTES && hasSign(Files.readString(module))) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: no sign from it
            }
        }
        return false;
    }

    private static boolean hasSign(String text) {
        return SIGNS.stream().anyMatch(text::contains);
    }
}
