package dev.medic.cli;

import dev.medic.MedicException;
import dev.medic.catalog.CatalogException;
import dev.medic.catalog.CatalogLoader;
import dev.medic.util.SourceLocation;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code medic.yaml}: option defaults for every command, keyed by the long option name without
 * dashes ({@code max-attempts: 3}, {@code stall-timeout: 30m}, {@code rules: ./rules}). Read from
 * {@code --config FILE}, else {@code ./medic.yaml} when it exists. Flags on the command line win.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    static final String DEFAULT_NAME = "medic.yaml";

    private final String name;
    private final Map<String, String> values;

    private ConfigFile(String name, Map<String, String> values) {
        this.name = name;
        this.values = values;
    }

    static ConfigFile forArgs(List<String> args) {
        Path file = null;
        boolean explicit = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                break;
            }
            if (a.equals("--config") && i + 1 < args.size()) {
                file = Path.of(args.get(i + 1));
                explicit = true;
                break;
            }
            if (a.startsWith("--config=")) {
                file = Path.of(a.substring("--config=".length()));
                explicit = true;
                break;
            }
        }
        if (file == null) {
            file = Path.of(DEFAULT_NAME);
            if (!Files.isRegularFile(file)) {
                return new ConfigFile(null, Map.of());
            }
        }
        if (explicit && !Files.isRegularFile(file)) {
            throw MedicException.badInput("--config: " + file + ": no such file");
        }
        return load(file);
    }

    private static ConfigFile load(Path file) {
        String text;
        try {
            text = SourceLocation.readCapped(file, file.toString(), "config");
        } catch (IOException e) {
            throw MedicException.badInput(file + ": cannot read: " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        new CatalogLoader().readFlatMapping(file.toString(), text).forEach((k, v) -> values.put(k.replace('_', '-'), v));
        return new ConfigFile(file.toString(), values);
    }

    /** Refuses keys that are no option of any command, naming the file and the key. */
    /** The value the file gives the long option {@code --key}, or null. */
    String value(String key) {
        return values.get(key);
    }

    /** True when there is no config file, or it sets nothing. */
    boolean isEmpty() {
        return values.isEmpty();
    }

    void validate(CommandLine root) {
        if (values.isEmpty()) {
            return;
        }
        Set<String> known = new TreeSet<>();
        collect(root, known);
        for (String key : values.keySet()) {
            if (!known.contains(key) || key.equals("config")) {
                throw new CatalogException(name + ": " + key + ": unknown option (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static void collect(CommandLine cl, Set<String> known) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            String n = o.longestName();
            if (n.startsWith("--") && !n.equals("--help") && !n.equals("--version") && !n.equals("--config")) {
                known.add(n.substring(2));
            }
        }
        cl.getSubcommands().values().forEach(c -> collect(c, known));
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec o && o.longestName().startsWith("--")) {
            return values.get(o.longestName().substring(2));
        }
        return null;
    }
}
