package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.util.ByteSizes;
import dev.medic.util.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theDefaultRulesAndCatalogPassAndTheirFoldersAreNamed() {
        InProcess r = InProcess.run("check", "--rules", Fixtures.rulesDir().toString(), "--catalog", Fixtures.catalogDir().toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("rules: " + SourceLocation.display(Fixtures.rulesDir()) + "/ (--rules)"), r.out());
        assertTrue(r.out().contains("catalog: " + SourceLocation.display(Fixtures.catalogDir()) + "/ (--catalog)"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("ok: ")), r.out());
        assertFalse(r.out().contains("backtracks catastrophically"), "the shipped catalog has no slow pattern: " + r.out());
    }

    @Test
    void withoutFlagsTheBundledCopiesAreUsed() {
        InProcess r = InProcess.run("check");
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("rules: bundled:rules/ (bundled in the jar)"), r.out());
    }

    @Test
    void aBrokenDrlIsFileLineMessageAndExit2() throws Exception {
        Path rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
        Files.writeString(rules.resolve("mine.drl"), "package medic.rules;\n\nrule \"mine\"\nwhen\n    LogEvent( text contains \nthen\nend\n");
        InProcess r = InProcess.run("check", "--rules", rules.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().lines().allMatch(l -> l.matches("medic: .*rules/mine\\.drl:\\d+: .+")), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void anOversizedDrlIsExit2InOneLine() throws Exception {
        Path rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
        Path big = rules.resolve("zz-big.drl");
        Files.writeString(big, "package medic.rules;\n// " + "x".repeat(2 << 20) + "\n");
        InProcess r = InProcess.run("check", "--rules", rules.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.out());
        assertEquals("medic: " + SourceLocation.display(big) + ": " + ByteSizes.format(Files.size(big)) + " is over the 1M limit for a rules file\n", r.err());
    }

    @Test
    void rulesThatExitSleepOrLoopWithoutBoundAreWarningsWithFileAndLine() throws Exception {
        Path rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
        Path risky = rules.resolve("risky.drl");
        Files.writeString(risky, """
                package medic.rules;
                import dev.medic.facts.LogEvent;

                function boolean spins() { for (;;) { } }

                rule "operators: quit"
                when
                    LogEvent()
                then
                    System.exit(0);
                end

                rule "operators: wait and spin"
                when
                    LogEvent()
                then
                    // Thread.sleep(1) in a comment is not a call
                    Thread.sleep(1000);
                    while ( true ) { }
                end

                rule "operators: halt"
                when
                    LogEvent()
                then
                    Runtime.getRuntime().halt(3);
                    drools.halt();
                end
                """);
        InProcess r = InProcess.run("check", "--rules", rules.toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        String f = SourceLocation.display(risky);
        assertEquals(List.of(
                "warning: " + f + ":4: function spins() loops without a bound (for (;;)): the rule timeout would end the run",
                "warning: " + f + ":10: rule \"operators: quit\" calls System.exit: the run would end with exit 2",
                "warning: " + f + ":18: rule \"operators: wait and spin\" sleeps: rules must not wait, the rule timeout would end the run",
                "warning: " + f + ":19: rule \"operators: wait and spin\" loops without a bound (while (true)): the rule timeout would end the run",
                "warning: " + f + ":26: rule \"operators: halt\" calls Runtime.halt: medic would end at once, its child left running"),
                r.out().lines().filter(l -> l.startsWith("warning: ")).toList());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("ok: .*, 5 warning\\(s\\)")), r.out());
    }

    @Test
    void aLadderFixWithoutAnExecutorIsAWarningNotAnError() throws Exception {
        Path cat = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Path f = cat.resolve("failures.yaml");
        Files.writeString(f, Files.readString(f).replace("      - fix: reduce_batch_size\n", "      - fix: shrink_model\n      - fix: reduce_batch_size\n"));
        InProcess r = InProcess.run("check", "--catalog", cat.toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("warning: fix 'shrink_model' is named in a ladder but medic has no executor for it"), r.out());
    }

    @Test
    void rulesFromTheEnvironmentAreUsedWhenNoFlagIsGiven() {
        // MEDIC_RULES is read from the real environment; the flag is the documented way to override it
        InProcess r = InProcess.run("check", "--rules", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("no *.drl files in the rules folder"), r.err());
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String cmd : List.of("run", "check", "replay", "eval", "history", "catalog", "notify", "cleanup", "compute", "sweep")) {
            InProcess r = InProcess.run(cmd, "--help");
            assertEquals(ExitCodes.SUCCESS, r.exitCode(), cmd + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: medic " + cmd), cmd + ": " + r.out());
        }
    }

    @Test
    void aCatastrophicPatternIsAWarningNamingIt() {
        Path cat = Fixtures.catalogWithSlowPattern(tmp);
        InProcess r = InProcess.run("check", "--rules", Fixtures.rulesDir().toString(), "--catalog", cat.toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("warning: slow_pattern.signatures[0] backtracks catastrophically on a line of 256 'x'"), r.out());
    }

    /** {@code medic check} of a copy of the shipped catalog with one text in {@code file} replaced; it must exit 2. */
    private InProcess checkEdited(String file, String from, String to) throws Exception {
        Path cat = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Path f = cat.resolve(file);
        Files.writeString(f, Files.readString(f).replace(from, to));
        InProcess r = InProcess.run("check", "--rules", Fixtures.rulesDir().toString(), "--catalog", cat.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.out());
        return r;
    }

    @Test
    void aMisspeltFixSettingIsACatalogErrorInOneLineNamingFileLineAndProperty() throws Exception {
        InProcess r = checkEdited("fixes.yaml", "    factor: 0.5\n    min: 1\n", "    factr: 0.25\n    min: 1\n");
        assertTrue(r.err().matches("medic: .*catalog/fixes\\.yaml:6: fixes\\.reduce_batch_size\\.factr: unknown property \\(did you mean factor\\?"
                + " expected one of [a-z_, ]+\\)\\R"), r.err());
    }

    @Test
    void aBadProgressPatternIsACatalogErrorNamingTheProperty() throws Exception {
        InProcess r = checkEdited("progress.yaml", "(?<step>{int}): loss (?<loss>{num})", "(?<step>{int}): loss (?<losses>{num})");
        assertTrue(r.err().matches("medic: .*catalog/progress\\.yaml: progress\\.patterns\\[\\d+\\]\\.regex: unknown group \\(\\?<losses>\\): .*\\R"), r.err());
    }

    @Test
    void progressPatternsAreCountedAndASlowOneIsAWarning() throws Exception {
        InProcess ok = InProcess.run("check", "--rules", Fixtures.rulesDir().toString(), "--catalog", Fixtures.catalogDir().toString());
        assertTrue(ok.out().lines().anyMatch(l -> l.matches("ok: \\d+ failures, \\d+ progress patterns, \\d+ rules")), ok.out());
        Path cat = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Files.writeString(cat.resolve("zz-site.yaml"), "progress:\n  patterns:\n    - name: slow_progress\n"
                + "      regex: '(.*x){12}y (?<step>{int})'\n      anchors: [x]\n  ignore:\n    - '(.*a){12}z'\n");
        InProcess r = InProcess.run("check", "--rules", Fixtures.rulesDir().toString(), "--catalog", cat.toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("zz-site.yaml: progress.patterns[0] (slow_progress) backtracks catastrophically on a line of 256 'x'"), r.out());
        assertTrue(r.out().contains("zz-site.yaml: progress.ignore[0] backtracks catastrophically on a line of 256 'a'"), r.out());
    }
}
