package dev.medic.discover;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a Python entry script's source for the flags it declares: argparse {@code add_argument},
 * click {@code @click.option}, typer ({@code typer.Option} and a command function's parameters),
 * {@code HfArgumentParser} (TrainingArguments' flags and the script's own dataclass fields),
 * LightningCLI ({@code --trainer.*}) and Hydra ({@link HydraConfig}). Regular expressions over the
 * text, no AST: a flag whose name is computed makes the reading inconclusive, and what it cannot
 * read is left out rather than guessed.
 */
public final class SourceFlags {
    private static final Pattern ADD_ARGUMENT = Pattern.compile("\\.add_argument\\s*\\(");
    private static final Pattern CLICK_OPTION = Pattern.compile("@click\\.option\\s*\\(");
    private static final Pattern TYPER_OPTION = Pattern.compile("typer\\.Option\\s*\\(");
    private static final Pattern TYPER_COMMAND = Pattern.compile("@[A-Za-z_][A-Za-z0-9_]*\\.command\\s*\\([^)]*\\)\\s*\\n\\s*def\\s+[A-Za-z_][A-Za-z0-9_]*\\s*\\(");
    private static final Pattern TYPER_RUN = Pattern.compile("typer\\.run\\s*\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)");
    private static final Pattern DATACLASS_FIELD = Pattern.compile("(?m)^[ \\t]+([a-z_][a-z0-9_]*)\\s*:\\s*[^=\\n]+=\\s*(.+)$");
    private static final Pattern DATACLASS = Pattern.compile("(?m)^@dataclass.*\\n(class [^\\n]+\\n(?:(?:[ \\t]+[^\\n]*|)\\n)*)");

    private final Map<String, ProgramFlags.Flag> flags = new LinkedHashMap<>();
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> inconclusive = new ArrayList<>();

    private SourceFlags() {
    }

    /**
     * What {@code source} (the text of {@code script}) declares. {@link ProgramFlags#why()} is set
     * when the reading is not conclusive (flags it cannot name, or none at all): --help may then tell more.
     */
    public static ProgramFlags read(Path script, String source) {
        SourceFlags r = new SourceFlags();
        r.argparse(source);
        r.click(source);
        r.typer(source);
        r.huggingFace(source);
        if (source.contains("LightningCLI(")) {
            // LightningCLI accepts every Trainer argument as --trainer.NAME; gradient_clip_val defaults to None
            r.prefixes.add("--trainer.");
            r.put("--trainer.gradient_clip_val", "None", "float", "its LightningCLI");
        }
        HydraConfig hydra = HydraConfig.read(script, source);
        if (hydra == null && r.flags.isEmpty() && r.prefixes.isEmpty()) {
            r.inconclusive.add("no flags declared in the script itself");
        }
        String why = r.inconclusive.isEmpty() ? null : String.join("; ", r.inconclusive);
        return new ProgramFlags(script.toString(), "source", r.flags, r.prefixes, hydra != null,
                hydra == null ? Map.of() : hydra.keys(), why);
    }

    private void argparse(String source) {
        for (List<String> args : PyCalls.calls(source, ADD_ARGUMENT)) {
            options(args, 0, PyCalls.literal(orEmpty(PyCalls.keyword(args, "default"))), "its argparse source");
        }
    }

    private void click(String source) {
        for (List<String> args : PyCalls.calls(source, CLICK_OPTION)) {
            options(args, 0, PyCalls.literal(orEmpty(PyCalls.keyword(args, "default"))), "its click source");
        }
    }

    /**
     * Declares the option strings among {@code args} from {@code first} on: string literals before
     * the keywords; {@code --a/--no-a} is two flags; a name without dashes (a dest, click's
     * parameter name) is no flag. A computed option string makes the reading inconclusive.
     */
    private void options(List<String> args, int first, String defaultValue, String learntFrom) {
        String type = PyCalls.keyword(args, "type");
        String action = PyCalls.literal(orEmpty(PyCalls.keyword(args, "action")));
        if (defaultValue == null && PyCalls.keyword(args, "default") == null && action != null) {
            defaultValue = action.equals("store_true") ? "False" : action.equals("store_false") ? "True" : null;
        }
        for (int i = first; i < args.size() && !PyCalls.isKeyword(args.get(i)); i++) {
            String name = PyCalls.string(args.get(i));
            if (name == null) {
                inconclusive.add("an option whose name is computed (" + abbreviate(args.get(i)) + ")");
                continue;
            }
            for (String n : name.split("/")) {
                if (n.startsWith("-")) {
                    put(n.strip(), defaultValue, type, learntFrom);
                }
            }
        }
    }

    private void typer(String source) {
        for (List<String> args : PyCalls.calls(source, TYPER_OPTION)) {
            if (args.size() > 1 && !PyCalls.isKeyword(args.get(0)) && PyCalls.string(args.get(0)) == null) {
                options(args, 1, PyCalls.literal(args.get(0)), "its typer source");
            }
        }
        if (!source.contains("import typer") && !source.contains("from typer")) {
            return;
        }
        List<String> functions = new ArrayList<>();
        var run = TYPER_RUN.matcher(source);
        while (run.find()) {
            var def = Pattern.compile("def\\s+" + run.group(1) + "\\s*\\(").matcher(source);
            if (def.find()) {
                functions.add(PyCalls.inside(source, def.end()));
            }
        }
        var command = TYPER_COMMAND.matcher(source);
        while (command.find()) {
            functions.add(PyCalls.inside(source, command.end()));
        }
        for (String params : functions) {
            if (params != null) {
                typerParameters(PyCalls.split(params));
            }
        }
    }

    /** {@code batch_size: int = 64} in a typer command is {@code --batch-size} (default 64); one without a default is an argument. */
    private void typerParameters(List<String> params) {
        for (String p : params) {
            var m = Pattern.compile("(?s)([a-z_][a-z0-9_]*)\\s*(?::\\s*([A-Za-z_][A-Za-z0-9_.]*))?\\s*=\\s*(.+)").matcher(p);
            if (m.matches() && !m.group(3).contains("typer.")) {
                put("--" + m.group(1).replace('_', '-'), PyCalls.literal(m.group(3)), m.group(2), "its typer source");
            } else if (m.matches() && m.group(3).strip().startsWith("typer.Option(")) {
                List<String> args = PyCalls.split(orEmpty(PyCalls.inside(m.group(3), m.group(3).indexOf('(') + 1)));
                boolean named = args.stream().skip(1).anyMatch(a -> PyCalls.string(a) != null);
                if (!named && !args.isEmpty()) {
                    put("--" + m.group(1).replace('_', '-'), PyCalls.literal(args.get(0)), m.group(2), "its typer source");
                }
            }
        }
    }

    private void huggingFace(String source) {
        if (!source.contains("HfArgumentParser")) {
            return;
        }
        if (source.contains("TrainingArguments")) {
            TrainingArguments.FLAGS.forEach((name, def) -> put(name, def, null, "its HfArgumentParser over TrainingArguments"));
        }
        var dc = DATACLASS.matcher(source);
        while (dc.find()) {
            var field = DATACLASS_FIELD.matcher(dc.group(1));
            while (field.find()) {
                String value = field.group(2).strip();
                String def = value.startsWith("field(")
                        ? PyCalls.literal(orEmpty(PyCalls.keyword(PyCalls.split(orEmpty(PyCalls.inside(value, 6))), "default")))
                        : PyCalls.literal(value);
                put("--" + field.group(1), def, null, "its HfArgumentParser dataclasses");
            }
        }
    }

    private void put(String name, String defaultValue, String type, String learntFrom) {
        flags.putIfAbsent(name, new ProgramFlags.Flag(name, defaultValue, type, learntFrom));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
