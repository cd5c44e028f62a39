package dev.medic.fix;

import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.Settings;
import dev.medic.facts.Failure;
import dev.medic.facts.RunSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What an executor plans for a command line, with the shipped catalog's settings for it: the executor tests' one way in. */
final class FixPlans {
    static final Catalog CATALOG = Fixtures.defaultCatalog();

    private FixPlans() {
    }

    /** A command line written as one string, split at spaces. */
    static List<String> argv(String cmd) {
        return List.of(cmd.strip().split(" +"));
    }

    /** The plan of {@code fix} for this argv and environment, its catalog settings overridden by {@code params}. */
    static FixPlan plan(FixExecutor fix, List<String> argv, Map<String, String> env, Map<String, Object> params) {
        return plan(fix, new RunSpec(argv, env, Path.of("/tmp")), params, null, null);
    }

    /** The plan of {@code fix} for {@code cmd} whose program was learnt to accept {@code program}'s flags. */
    static FixPlan planKnowing(FixExecutor fix, String cmd, dev.medic.discover.ProgramFlags program) {
        Settings s = CATALOG.fixSettings(fix.id());
        return fix.plan(new RunSpec(argv(cmd), Map.of(), Path.of("/tmp")), new FixContext(s, null, null, 1, 0, spec -> program));
    }

    /** The plan of {@code fix} for this spec, fixing {@code failure} (may be null) in the run folder {@code runDir} (may be null). */
    static FixPlan plan(FixExecutor fix, RunSpec spec, Map<String, Object> params, Failure failure, Path runDir) {
        Settings s = CATALOG.fixSettings(fix.id()).with("test.params", params);
        return fix.plan(spec, new FixContext(s, failure, runDir, 1));
    }
}
