package dev.medic.fix;

import dev.medic.MedicException;
import dev.medic.catalog.ConfigInt;
import dev.medic.catalog.ConfigInts;
import dev.medic.catalog.ReduceBatchSizeSettings;
import dev.medic.facts.RunSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Batch sizes that live in a config file the command names (a DeepSpeed JSON's
 * {@code train_micro_batch_size_per_gpu}, a YAML {@code --config}): a copy is written into the run
 * folder with only those numbers' characters changed (comments, anchors, aliases, quoting and every
 * other value stay as written), with the original's file mode, and the next attempt is pointed at
 * it. The user's file is never edited. A number that an anchor shares with other keys is not
 * changed: the fix says why and does not apply.
 */
final class ConfigFileBatch {
    private static final Pattern CONFIG_FILE = Pattern.compile(".+\\.(json|ya?ml)");
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private ConfigFileBatch() {
    }

    /** A plan, or null when no config file the command names holds a batch size. */
    static FixPlan plan(RunSpec spec, FixContext context, double factor, int min) {
        ReduceBatchSizeSettings s = ReduceBatchSizeSettings.of(context.settings());
        Set<String> flags = new HashSet<>(s.configFlags());
        // in priority order: with DeepSpeed's micro batch present, train_batch_size is the global batch and stays
        List<String> batchKeys = s.configKeys();
        Set<String> accKeys = new HashSet<>(s.configAccumulationKeys());
        Set<String> allKeys = new HashSet<>(batchKeys);
        allKeys.addAll(accKeys);
        for (ArgValue arg : ArgValue.find(spec.getArgv(), flags, Set.of(), CONFIG_FILE)) {
            Path file = spec.getWorkdir().resolve(arg.value());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String text;
            List<ConfigInt> ints;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
                ints = ConfigInts.find(arg.value(), text, arg.value().endsWith(".json"), allKeys);
            } catch (IOException | MedicException e) {
                continue;
            }
            List<ConfigInt> batch = List.of();
            for (String key : batchKeys) {
                batch = ints.stream().filter(i -> i.key().equals(key)).toList();
                if (!batch.isEmpty()) {
                    break;
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            List<ConfigInt> acc = ints.stream().filter(i -> accKeys.contains(i.key())).toList();
            for (List<ConfigInt> changed : List.of(batch, acc)) {
                for (ConfigInt i : changed) {
                    if (i.refusal() != null) {
                        return FixPlan.cannot(i.refusal());
                    }
                }
            }
            long primary = batch.get(0).value();
            boolean keepEffective = !acc.isEmpty();
            long next = keepEffective ? ReduceBatchSize.largestDivisorAtMost(primary, (long) Math.floor(primary * factor), min)
                    : Math.max(min, (long) Math.floor(primary * factor));
            if (next < min || next >= primary) {
                return FixPlan.cannot("the batch size in " + arg.value() + " is already at its minimum (" + primary + ")");
            }
            long ratio = primary / next;
            Map<ConfigInt, String> edits = new LinkedHashMap<>();
            List<String> changes = new ArrayList<>();
            for (ConfigInt b : batch) {
                long nv = keepEffective ? Math.max(min, b.value() / ratio) : Math.max(min, (long) Math.floor(b.value() * factor));
                edits.put(b, b.rewritten(nv));
                changes.add(arg.value() + ": " + b.path() + ": " + b.written() + " -> " + edits.get(b));
            }
            for (ConfigInt a : acc) {
                edits.put(a, a.rewritten(a.value() * ratio));
                changes.add(arg.value() + ": " + a.path() + ": " + a.written() + " -> " + edits.get(a) + " (effective batch unchanged)");
            }
            Path copy = context.fixDir().resolve(file.getFileName().toString()).toAbsolutePath();
            List<String> argv = new ArrayList<>(spec.getArgv());
            argv.set(arg.index(), arg.replaced(copy.toString()));
            changes.add(arg.describe() + ": " + arg.value() + " -> " + copy + " (a changed copy; the original is untouched)");
            Set<PosixFilePermission> mode = mode(file);
            FixAction write = new FixAction.WriteFile("write " + copy + " (mode " + PosixFilePermissions.toString(mode) + ", as the original)",
                    copy, edited(text, edits).getBytes(StandardCharsets.UTF_8), mode);
            return new FixPlan.Change(spec.withArgv(argv), changes, List.of(write), java.time.Duration.ZERO);
        }
        return null;
    }

    /** {@code text} with each value's characters replaced, and nothing else touched. */
    private static String edited(String text, Map<ConfigInt, String> edits) {
        StringBuilder b = new StringBuilder(text);
        edits.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<ConfigInt, String> e) -> e.getKey().start()).reversed())
                .forEach(e -> b.replace(e.getKey().start(), e.getKey().end(), e.getValue()));
        return b.toString();
    }

    /** The original's permissions; owner read and write only where the file system has none to copy. */
    private static Set<PosixFilePermission> mode(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return PRIVATE;
        }
    }
}
