package dev.medic.catalog;

import dev.medic.facts.CatalogEntry;
import dev.medic.facts.FixDecision;
import dev.medic.facts.LadderStep;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The settings each fix takes ({@code fixes.<id>}, a ladder rung's {@code params}): the keys it knows and the record
 * they bind to. The catalog loader refuses any other key and binds every fix's settings, and every rung's params laid
 * over them, when the catalog loads. A fix id not named here takes no settings medic knows of and is not checked.
 */
final class FixSettingsTypes {
    /** The keys of one fix's settings and how they bind. */
    record Type(Set<String> keys, Function<Settings, ?> bind) {
    }

    private static final Map<String, Type> BY_FIX = Map.ofEntries(
            Map.entry("reduce_batch_size", new Type(ReduceBatchSizeSettings.KEYS, ReduceBatchSizeSettings::of)),
            Map.entry("gradient_clipping", new Type(GradientClippingSettings.KEYS, GradientClippingSettings::of)),
            Map.entry("scale_learning_rate", new Type(ScaleLearningRateSettings.KEYS, ScaleLearningRateSettings::of)),
            Map.entry("reduce_workers", new Type(ReduceWorkersSettings.KEYS, ReduceWorkersSettings::of)),
            Map.entry("cpu_fallback", new Type(CpuFallbackSettings.KEYS, CpuFallbackSettings::of)),
            Map.entry("set_env", new Type(SetEnvSettings.KEYS, SetEnvSettings::of)),
            Map.entry("exclude_gpu", new Type(ExcludeGpuSettings.KEYS, ExcludeGpuSettings::of)),
            Map.entry("pip_install", new Type(PipInstallSettings.KEYS, PipInstallSettings::of)),
            Map.entry("retry_backoff", new Type(RetryBackoffSettings.KEYS, RetryBackoffSettings::of)),
            Map.entry("resume_from_checkpoint", new Type(ResumeFromCheckpointSettings.KEYS, ResumeFromCheckpointSettings::of)),
            Map.entry("raise_shm_size", new Type(RaiseShmSizeSettings.KEYS, RaiseShmSizeSettings::of)),
            Map.entry("expandable_segments", new Type(Set.of(), s -> s)),
            Map.entry("retry", new Type(Set.of(), s -> s)),
            Map.entry(FixDecision.ESCALATE, new Type(Set.of(), s -> s)));

    private FixSettingsTypes() {
    }

    /** Refuses a key the fix does not take, naming the file, line and property path. */
    static void checkKeys(String fixId, YamlNode settings) {
        Type t = BY_FIX.get(fixId);
        if (t != null) {
            settings.requireObject().checkKeys(t.keys());
        }
    }

    /**
     * Refuses settings under {@code fixes:} for an id that is neither a fix medic has nor one a
     * ladder of the catalog names (a fix of a newer medic): a misspelt id would otherwise be
     * ignored without a word.
     */
    static void checkIds(Map<String, YamlNode> fixNodes, Collection<CatalogEntry> entries) {
        Set<String> laddered = new TreeSet<>();
        entries.forEach(e -> e.getLadder().forEach(r -> laddered.add(r.getFixId())));
        fixNodes.forEach((id, node) -> {
            if (!BY_FIX.containsKey(id) && !laddered.contains(id)) {
                String near = Spelling.nearest(id, BY_FIX.keySet());
                throw node.failAtLine("no fix of this id (" + (near == null ? "" : "did you mean " + near + "? ")
                        + "medic's fixes are " + String.join(", ", new TreeSet<>(BY_FIX.keySet()))
                        + "; settings for another fix need a ladder that names it)");
            }
        });
    }

    /**
     * Binds each fix's settings, and each ladder rung's params laid over them, to the fix's record, as a plan would; a
     * value of the wrong kind or out of range is an error naming the file and the property.
     */
    static void bindAll(Collection<CatalogEntry> entries, Map<String, Settings> fixes) {
        fixes.forEach(FixSettingsTypes::bind);
        for (CatalogEntry e : entries) {
            for (int i = 0; i < e.getLadder().size(); i++) {
                LadderStep rung = e.getLadder().get(i);
                Settings base = fixes.getOrDefault(rung.getFixId(), Settings.empty("fixes." + rung.getFixId()));
                bind(rung.getFixId(), base.with(e.getSource() + ": " + e.getId() + ".ladder[" + i + "].params", rung.getParams()));
            }
        }
    }

    private static void bind(String fixId, Settings settings) {
        Type t = BY_FIX.get(fixId);
        if (t != null) {
            t.bind().apply(settings);
        }
    }
}
