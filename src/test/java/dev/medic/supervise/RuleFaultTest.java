package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.journal.JournalLines;
import dev.medic.rules.RuleException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rule that throws or never settles ends the run with its file and name, the child stopped, the journal closed. */
@Tag("fault")
class RuleFaultTest {
    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(tmp);
        h.rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
    }

    @Test
    void aRuleThatThrowsIsNamedWithItsFile() throws Exception {
        Files.writeString(h.rules.resolve("boom.drl"), """
                package medic.rules;
                import dev.medic.facts.LogEvent;

                rule "operators: boom on every line"
                when
                    LogEvent()
                then
                    throw new IllegalStateException("a bug in a site rule");
                end
                """);
        RuleException e = assertThrows(RuleException.class, () -> runOomChild());
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        assertEquals(h.rules.resolve("boom.drl") + ": rule \"operators: boom on every line\" threw IllegalStateException: a bug in a site rule",
                e.getMessage());
        assertStoppedAndJournaled(e.getMessage());
    }

    @Test
    void aRuleThatReactivatesItselfForeverIsCutOffAndNamed() throws Exception {
        Files.writeString(h.rules.resolve("spin.drl"), """
                package medic.rules;
                import dev.medic.facts.LogEvent;

                rule "operators: touch every line"
                when
                    $e : LogEvent()
                then
                    update( $e );
                end
                """);
        RuleException e = assertThrows(RuleException.class, () -> runOomChild());
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(h.rules.resolve("spin.drl").toString())
                + ": rule \"operators: touch every line\" fired \\d+ of \\d+ times without the rules settling; cut off .*"), e.getMessage());
        assertStoppedAndJournaled(e.getMessage());
    }

    private Path pidFile() {
        return tmp.resolve("child.pid");
    }

    private void runOomChild() throws Exception {
        Path s = h.script("oom.py", """
                import os, sys, time
                open(sys.argv[1], 'w').write(str(os.getpid()))
                print('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB', flush=True)
                time.sleep(120)
                """);
        h.run("python3", s.toString(), pidFile().toString());
    }

    private void assertStoppedAndJournaled(String message) throws Exception {
        long pid = Long.parseLong(Files.readString(pidFile()).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child was stopped");
        Path runDir;
        try (var list = Files.list(tmp.resolve("runs"))) {
            runDir = list.findFirst().orElseThrow();
        }
        List<JsonNode> journal = JournalLines.read(runDir.resolve("journal.jsonl"));
        assertEquals("rules_failed", journal.get(journal.size() - 2).path("event").asText());
        assertEquals(message, journal.get(journal.size() - 2).path("message").asText());
        assertEquals("run_finished", journal.get(journal.size() - 1).path("event").asText());
    }
}
