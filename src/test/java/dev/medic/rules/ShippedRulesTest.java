package dev.medic.rules;

import dev.medic.Fixtures;
import dev.medic.facts.Context;
import dev.medic.fix.FixRegistry;
import dev.medic.supervise.Replayer;
import dev.medic.supervise.Verdict;
import dev.medic.util.SourceLocation;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped rules compiled at build time stand in for compiling them, and only for them. */
class ShippedRulesTest {
    private static final List<Path> LABELLED = List.of(
            Fixtures.projectDir().resolve("src/test/resources/cases"),
            Fixtures.projectDir().resolve("src/test/resources/unseen"),
            Fixtures.projectDir().resolve("src/test/resources/unseen-2"));

    @TempDir
    Path tmp;

    private static SourceSet read(Path dir) {
        return SourceLocation.find("rules", ".drl", dir, Map.of(), null).read();
    }

    @Test
    void theShippedFolderGetsTheRulesCompiledAtBuildTime() {
        RuleSet prebuilt = new RuleCompiler().compile(read(Fixtures.rulesDir()));
        RuleSet compiled = new RuleCompiler().compileDrl(read(Fixtures.rulesDir()));
        try {
            assertTrue(prebuilt.prebuilt(), "the build wrote medic/shipped-rules/ for exactly rules/");
            assertFalse(compiled.prebuilt());
            assertEquals(compiled.ruleCount(), prebuilt.ruleCount());
        } finally {
            prebuilt.dispose();
            compiled.dispose();
        }
    }

    @Test
    void anyEditIsCompiledFromTheText() throws Exception {
        Path rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
        Files.writeString(rules.resolve("root.drl"), Files.readString(rules.resolve("root.drl")) + "\n// tuned\n");
        RuleSet set = new RuleCompiler().compile(read(rules));
        try {
            assertFalse(set.prebuilt());
        } finally {
            set.dispose();
        }
    }

    /** The build's classes of declared types are its own: an edited declaration of the same name compiles. */
    @Test
    void anEditedDeclaredTypeOfTheSameNameGetsItsOwnClass() throws Exception {
        RuleSet shipped = new RuleCompiler().compile(read(Fixtures.rulesDir()));
        Path rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
        Path context = rules.resolve("detect-context.drl");
        Files.writeString(context, Files.readString(context).replace("    length : int\nend", "    length : long\nend"));
        RuleSet edited = new RuleCompiler().compile(read(rules));
        try {
            assertTrue(shipped.prebuilt());
            assertFalse(edited.prebuilt());
            assertThrows(ClassNotFoundException.class, () -> Class.forName("medic.rules.OverflowStreak"),
                    "the build's declared types stay off the class path");
            Path log = tmp.resolve("overflow.log");
            Files.writeString(log, "Gradient overflow.  Skipping step, loss scaler 0 reducing loss scale to 1024\n".repeat(40));
            assertEquals(outcome(shipped, log, 1), outcome(edited, log, 1), "the edit widens a field");
        } finally {
            shipped.dispose();
            edited.dispose();
        }
    }

    /** Every labelled log gets the same failures, root, decision and options from both. */
    @Test
    void bothGiveTheSameVerdictOnEveryLabelledLog() throws Exception {
        RuleSet prebuilt = new RuleCompiler().compile(read(Fixtures.rulesDir()));
        RuleSet compiled = new RuleCompiler().compileDrl(read(Fixtures.rulesDir()));
        int logs = 0;
        List<String> differ = new ArrayList<>();
        try {
            for (Path dir : LABELLED) {
                for (String row : Files.readAllLines(dir.resolve("INDEX.tsv")).subList(1, Files.readAllLines(dir.resolve("INDEX.tsv")).size())) {
                    String[] cols = row.split("\t", -1);
                    int exit = cols[2].isBlank() ? 1 : Integer.parseInt(cols[2].strip());
                    Path log = dir.resolve(cols[0]);
                    String a = outcome(prebuilt, log, exit);
                    String b = outcome(compiled, log, exit);
                    logs++;
                    if (!a.equals(b)) {
                        differ.add(cols[0] + ": prebuilt " + a + " / compiled " + b);
                    }
                }
            }
        } finally {
            prebuilt.dispose();
            compiled.dispose();
        }
        assertTrue(logs > 250, "logs: " + logs);
        assertEquals(List.of(), differ);
    }

    private static String outcome(RuleSet rules, Path log, int exit) throws Exception {
        Verdict v = new Replayer(Fixtures.defaultCatalog(), rules, FixRegistry.standard()).replay(log, exit, null, Context.unknown(), 64 * 1024);
        return v.failures() + " root=" + v.root() + " decision=" + v.decision() + " options=" + v.options();
    }
}
