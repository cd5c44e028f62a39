package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.journal.JournalLines;
import dev.medic.journal.RunStatus;
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

/** Rules are read from disk at each attempt boundary: edits change the next attempt; broken files stop the run. */
class RuleReloadTest {
    @TempDir
    Path tmp;
    Harness h;

    private static final String ESCALATE_OOM_RULE = """

            rule "operators: a GPU OOM goes to a person at once"
            agenda-group "choose"
            salience 1000
            when
                Failure( root, id == "cuda_oom" )
                not FixDecision()
            then
                insert( FixDecision.escalate( "cuda_oom", "edited on disk: OOM goes to a person" ) );
            end
            """;

    @BeforeEach
    void setUp() {
        h = new Harness(tmp);
        h.rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
    }

    @Test
    void aDrlEditedOnDiskDuringAnAttemptChangesTheNextAttemptsDecision() throws Exception {
        Path choose = h.rules.resolve("choose.drl");
        // the child edits the rules while attempt 1 runs, as an operator would
        Path s = h.script("oom_and_edit.py", """
                import sys
                rules, batch, extra = sys.argv[1], sys.argv[3], sys.argv[4]
                if batch == '1024':
                    with open(rules, 'a') as f:
                        f.write(extra)
                sys.stderr.write(f'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate {batch} MiB\\n')
                sys.exit(1)
                """);
        RunResult r = h.run("python3", s.toString(), choose.toString(), "--batch-size", "1024", ESCALATE_OOM_RULE);
        List<JsonNode> decisions = Harness.events(r, "decision");
        assertEquals(2, decisions.size());
        assertEquals("reduce_batch_size", decisions.get(0).path("fix").asText(), "attempt 1 keeps the rules it started with");
        assertEquals("escalate", decisions.get(1).path("fix").asText());
        assertEquals("edited on disk: OOM goes to a person", decisions.get(1).path("reason").asText());
        assertTrue(Harness.events(r, "reloaded").get(0).path("message").asText().startsWith("rules reloaded"));
        assertEquals(RunStatus.ESCALATED, r.status());
    }

    @Test
    void anEditThatDoesNotCompileKeepsThePreviousRules() throws Exception {
        Path choose = h.rules.resolve("choose.drl");
        Path s = h.script("oom_and_break.py", """
                import sys
                rules, batch = sys.argv[1], sys.argv[3]
                if batch == '1024':
                    with open(rules, 'a') as f:
                        f.write('\\nrule "half written"\\nwhen\\n    Failure( root\\nthen\\nend\\n')
                sys.stderr.write(f'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate {batch} MiB\\n')
                sys.exit(1 if int(batch) > 256 else 0)
                """);
        RunResult r = h.run("python3", s.toString(), choose.toString(), "--batch-size", "1024");
        JsonNode warning = Harness.events(r, "warning").get(0);
        assertTrue(warning.path("message").asText().matches("(?s).*choose\\.drl:\\d+: .*keeping the previous rules.*"),
                warning.toString());
        assertEquals("reduce_batch_size", Harness.events(r, "decision").get(1).path("fix").asText());
    }

    @Test
    @Tag("fault")
    void rulesThatDoNotCompileStopTheChildAndExit2() throws Exception {
        Files.writeString(h.rules.resolve("broken.drl"), """
                package medic.rules;
                import dev.medic.facts.Failure;

                rule "broken"
                when
                    Failure( root
                then
                end
                """);
        Path pidFile = tmp.resolve("child.pid");
        Path s = h.script("long.py", "import os, sys, time\nopen(sys.argv[1], 'w').write(str(os.getpid()))\ntime.sleep(120)\n");
        long t0 = System.nanoTime();
        RuleException e = assertThrows(RuleException.class, () -> h.run("python3", s.toString(), pidFile.toString()));
        assertTrue((System.nanoTime() - t0) / 1e9 < 30);
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().matches("(?s).*broken\\.drl:\\d+: .*"), e.getMessage());
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child was stopped");
        }
        Path runs = tmp.resolve("runs");
        Path runDir;
        try (var list = Files.list(runs)) {
            runDir = list.findFirst().orElseThrow();
        }
        List<JsonNode> journal = JournalLines.read(runDir.resolve("journal.jsonl"));
        assertEquals("rules_failed", journal.get(journal.size() - 2).path("event").asText());
        assertEquals("run_finished", journal.get(journal.size() - 1).path("event").asText());
    }
}
