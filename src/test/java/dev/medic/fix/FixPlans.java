package dev.medic.fix;

import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.Settings;
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
        Settings s = CATALOG.fixSettings(fix.id()).with("test.params", params);
        return fix.plan(new RunSpec(argv, env, Path.of("/tmp")), new FixContext(s, null, null, 1));
    }
}
