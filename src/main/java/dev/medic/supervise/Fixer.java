package dev.medic.supervise;

import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogException;
import dev.medic.discover.FlagSource;
import dev.medic.facts.Failure;
import dev.medic.facts.FixDecision;
import dev.medic.facts.LadderStep;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixContext;
import dev.medic.fix.FixExecutor;
import dev.medic.fix.FixPlan;
import dev.medic.fix.FixRegistry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Plans ladder rungs against the current spec, so the rules know which rungs can apply and why not. */
final class Fixer {
    private final FixRegistry registry;
    private volatile FlagSource flags = FlagSource.OFF;

    Fixer(FixRegistry registry) {
        this.registry = registry;
    }

    /** Where executors learn the flags a program accepts (off until a run folder is known to keep what is learnt). */
    void discoverWith(FlagSource source) {
        this.flags = source;
    }

    FixRegistry registry() {
        return registry;
    }

    /**
     * What a replay without a command plans against, for fixes that read nothing of the command:
     * "python" stands for the run's interpreter (so a pip install names the package and the command
     * shape) and the environment is empty, since the run's own is unknown.
     */
    static final RunSpec NO_COMMAND = new RunSpec(List.of("python"), Map.of(), Path.of("."));

    /** The change line of a rung that cannot be planned without the command. */
    static String dependsOnCommand(String fixId) {
        return fixId + ": depends on the command; give it after --";
    }

    /**
     * The plan for one rung. {@code spec} may be null (replay without a command): fixes that need
     * the command are then assumed to apply, with a line saying so in place of their changes (their
     * plan has no next spec); the others are planned against {@link #NO_COMMAND}.
     */
    FixPlan plan(Catalog catalog, Failure root, int step, LadderStep rung, RunSpec spec, Path runDir,
                 Map<String, Object> runSettings, int uses) {
        if (FixDecision.ESCALATE.equals(rung.getFixId())) {
            return FixPlan.change(spec, List.of());
        }
        FixExecutor ex = registry.get(rung.getFixId());
        if (ex == null) {
            return FixPlan.cannot("medic has no executor for fix '" + rung.getFixId() + "' (skipped)");
        }
        if (spec == null && ex.needsCommand()) {
            return FixPlan.change(null, List.of(dependsOnCommand(rung.getFixId())));
        }
        try {
            var settings = catalog.fixSettings(rung.getFixId())
                    .with(root.getId() + ".ladder[" + step + "].params", rung.getParams())
                    .with("run options", runSettings);
            return ex.plan(spec == null ? NO_COMMAND : spec, new FixContext(settings, root, runDir, root.getAttempt(), uses, flags));
        } catch (CatalogException e) {
            return FixPlan.cannot("bad settings: " + e.getMessage());
        }
    }

    /**
     * {@code change} with every layer fix (resume from checkpoint, where the run says where
     * checkpoints go) laid over it, each planned against what the chosen fix made. A layer that
     * cannot apply is passed to {@code skipped} with its name and reason, and left out.
     * {@code failedAttempt} is what is known of the failed attempt ({@code last_step}).
     */
    FixPlan.Change layered(Catalog catalog, FixPlan.Change change, Failure root, Path runDir, int attempt,
                           Map<String, Map<String, Object>> runSettings, Map<String, Object> failedAttempt,
                           BiConsumer<String, String> skipped) {
        if (change.next() == null) {
            return change;
        }
        for (FixExecutor ex : registry.executors()) {
            String id = ex.id();
            var settings = catalog.fixSettings(id).with("run options", runSettings.getOrDefault(id, Map.of()));
            Optional<String> layer = ex.layer(settings);
            if (layer.isEmpty()) {
                continue;
            }
            if (!failedAttempt.isEmpty()) {
                // so the fix can say how much of the failed attempt's work it keeps
                settings = settings.with("the failed attempt", failedAttempt);
            }
            FixPlan plan = ex.plan(change.next(), new FixContext(settings, root, runDir, attempt, 0, flags));
            if (plan instanceof FixPlan.Change more) {
                change = change.andThen(more);
            } else {
                skipped.accept(layer.get(), ((FixPlan.Cannot) plan).reason());
            }
        }
        return change;
    }
}
