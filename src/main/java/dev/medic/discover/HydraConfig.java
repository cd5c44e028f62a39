package dev.medic.discover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Hydra app ({@code @hydra.main(...)}): it accepts {@code ++key=value} overrides. When
 * {@code config_path} and {@code config_name} are literals naming a readable YAML file next to
 * the script, its scalar keys (dotted, by indentation) and values are read line by line; a file
 * that cannot be read leaves the keys unknown, never guessed.
 */
record HydraConfig(Map<String, String> keys) {
    private static final Pattern MAIN = Pattern.compile("@hydra\\.main\\s*\\(");
    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z_][A-Za-z0-9_]*)\\s*:\\s*(.*?)\\s*(#.*)?$");
    private static final long MAX_BYTES = 1 << 20;

    /** The app's config, or null when the script is no Hydra app. */
    static HydraConfig read(Path script, String source) {
        List<List<String>> mains = PyCalls.calls(source, MAIN);
        if (mains.isEmpty()) {
            return null;
        }
        List<String> args = mains.get(0);
        String path = keywordString(args, "config_path");
        String name = keywordString(args, "config_name");
        if (path == null || name == null || script.getParent() == null) {
            return new HydraConfig(Map.of());
        }
        Path file = script.getParent().resolve(path).resolve(name.endsWith(".yaml") ? name : name + ".yaml").normalize();
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return new HydraConfig(Map.of());
            }
            return new HydraConfig(keys(Files.readAllLines(file)));
        } catch (IOException | RuntimeException e) {
            return new HydraConfig(Map.of());
        }
    }

    private static String keywordString(List<String> args, String name) {
        String v = PyCalls.keyword(args, name);
        return v == null ? null : PyCalls.string(v);
    }

    /** {@code trainer:\n  gradient_clip_val: 1.0} -> {@code trainer.gradient_clip_val = 1.0}; lists and block scalars are skipped. */
    static Map<String, String> keys(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        List<int[]> indents = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.stripLeading().startsWith("#") || line.contains("\t")) {
                continue;
            }
            var m = KEY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!indents.isEmpty() && indents.get(indents.size() - 1)[0] >= indent) {
                indents.remove(indents.size() - 1);
                names.remove(names.size() - 1);
            }
            String value = m.group(3);
            if (value.isEmpty()) {
                indents.add(new int[] {indent});
                names.add(m.group(2));
            } else if (!value.startsWith("[") && !value.startsWith("{") && !value.startsWith("|") && !value.startsWith(">")
                    && !value.startsWith("&") && !value.startsWith("*")) {
                List<String> key = new ArrayList<>(names);
                key.add(m.group(2));
                out.put(String.join(".", key), unquote(value));
            }
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
