package dev.medic.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medic.MedicException;
import dev.medic.catalog.Settings;
import dev.medic.catalog.YamlFiles;
import dev.medic.facts.RunSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Batch sizes that live in a config file the command names (a DeepSpeed JSON's
 * {@code train_micro_batch_size_per_gpu}, a YAML {@code --config}): a changed copy is written
 * into the run folder and the next attempt is pointed at it. The user's file is never edited.
 */
final class ConfigFileBatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONFIG_FILE = Pattern.compile(".+\\.(json|ya?ml)");

    private ConfigFileBatch() {
    }

    /** A plan, or null when no config file the command names holds a batch size. */
    static FixPlan plan(RunSpec spec, FixContext context, double factor, int min) {
        Settings s = context.settings();
        Set<String> flags = new HashSet<>(s.strings("config_flags"));
        // in priority order: with DeepSpeed's micro batch present, train_batch_size is the global batch and stays
        List<String> batchKeys = s.strings("config_keys");
        Set<String> accKeys = new HashSet<>(s.strings("config_accumulation_keys"));
        for (ArgValue arg : ArgValue.find(spec.getArgv(), flags, Set.of(), CONFIG_FILE)) {
            Path file = spec.getWorkdir().resolve(arg.value());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            boolean json = arg.value().endsWith(".json");
            JsonNode root = parse(file, json);
            if (root == null || !root.isObject()) {
                continue;
            }
            List<ObjectNode> batchOwners = new ArrayList<>();
            List<String> batchNames = new ArrayList<>();
            for (String key : batchKeys) {
                collect(root, Set.of(key), batchOwners, batchNames);
                if (!batchOwners.isEmpty()) {
                    break;
                }
            }
            if (batchOwners.isEmpty()) {
                continue;
            }
            List<ObjectNode> accOwners = new ArrayList<>();
            List<String> accNames = new ArrayList<>();
            collect(root, accKeys, accOwners, accNames);
            long primary = batchOwners.get(0).get(batchNames.get(0)).asLong();
            boolean keepEffective = !accOwners.isEmpty();
            long next = keepEffective ? ReduceBatchSize.largestDivisorAtMost(primary, (long) Math.floor(primary * factor), min)
                    : Math.max(min, (long) Math.floor(primary * factor));
            if (next < min || next >= primary) {
                return FixPlan.cannot("the batch size in " + arg.value() + " is already at its minimum (" + primary + ")");
            }
            long ratio = primary / next;
            List<String> changes = new ArrayList<>();
            for (int i = 0; i < batchOwners.size(); i++) {
                long old = batchOwners.get(i).get(batchNames.get(i)).asLong();
                long nv = keepEffective ? Math.max(min, old / ratio) : Math.max(min, (long) Math.floor(old * factor));
                batchOwners.get(i).put(batchNames.get(i), nv);
                changes.add(arg.value() + ": " + batchNames.get(i) + ": " + old + " -> " + nv);
            }
            for (int i = 0; i < accOwners.size(); i++) {
                long old = accOwners.get(i).get(accNames.get(i)).asLong();
                accOwners.get(i).put(accNames.get(i), old * ratio);
                changes.add(arg.value() + ": " + accNames.get(i) + ": " + old + " -> " + old * ratio + " (effective batch unchanged)");
            }
            Path copy = context.fixDir().resolve(file.getFileName().toString()).toAbsolutePath();
            byte[] content = (json ? root.toPrettyString() + "\n" : YamlFiles.write(root)).getBytes(StandardCharsets.UTF_8);
            List<String> argv = new ArrayList<>(spec.getArgv());
            argv.set(arg.index(), arg.replaced(copy.toString()));
            changes.add(arg.describe() + ": " + arg.value() + " -> " + copy + " (a changed copy; the original is untouched)");
            FixAction write = new FixAction.WriteFile("write " + copy, copy, content);
            return new FixPlan.Change(spec.withArgv(argv), changes, List.of(write), java.time.Duration.ZERO);
        }
        return null;
    }

    private static JsonNode parse(Path file, boolean json) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return json ? JSON.readTree(text) : YamlFiles.read(file.toString(), text);
        } catch (IOException | MedicException e) {
            return null;
        }
    }

    /** Objects (at any depth) holding one of {@code keys} with a positive integer value ("auto" is left alone). */
    private static void collect(JsonNode node, Set<String> keys, List<ObjectNode> owners, List<String> names) {
        if (node instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                if (keys.contains(e.getKey()) && v.isIntegralNumber() && v.asLong() > 0) {
                    owners.add(o);
                    names.add(e.getKey());
                } else {
                    collect(v, keys, owners, names);
                }
            });
        } else if (node != null && node.isArray()) {
            node.forEach(c -> collect(c, keys, owners, names));
        }
    }
}
