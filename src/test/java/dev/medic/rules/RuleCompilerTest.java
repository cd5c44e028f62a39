package dev.medic.rules;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceLocation;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleCompilerTest {
    @Test
    void theDefaultRulesCompile() {
        RuleSet rules = new RuleCompiler().compile(SourceLocation.find("rules", ".drl", Fixtures.rulesDir(), Map.of(), null).read());
        try {
            assertTrue(rules.ruleCount() >= 15, "rules: " + rules.ruleCount());
        } finally {
            rules.dispose();
        }
    }

    @Test
    void aBrokenFileIsReportedAsFileLineMessage() {
        String drl = """
                package medic.rules;
                import dev.medic.facts.Failure;

                rule "broken"
                when
                    $f : Failure( root
                then
                    System.out.println( $f );
                end
                """;
        RuleException e = assertThrows(RuleException.class, () -> new RuleCompiler().compile(
                new SourceSet("rules/", "test", List.of(new SourceFile("rules/broken.drl", "broken.drl", drl)))));
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        assertTrue(e.problems().get(0).matches("rules/broken\\.drl:\\d+: .+"), e.problems().toString());
    }

    @Test
    void anUnknownFactTypeIsReportedWithItsFile() {
        String drl = "package medic.rules;\nrule \"x\"\nwhen\n  NoSuchFact()\nthen\nend\n";
        RuleException e = assertThrows(RuleException.class, () -> new RuleCompiler().compile(
                new SourceSet("rules/", "test", List.of(new SourceFile("rules/x.drl", "x.drl", drl)))));
        assertTrue(e.getMessage().startsWith("rules/x.drl:"), e.getMessage());
    }
}
