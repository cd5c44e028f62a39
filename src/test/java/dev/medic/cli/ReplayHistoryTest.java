package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic replay --history JOURNAL LOG`: what the rules would choose next for a run that already had attempts. */
class ReplayHistoryTest {
    @TempDir
    Path tmp;

    @Test
    void theNextDecisionCountsEarlierFixesAndPlansAgainstTheLastCommand() throws Exception {
        Path toy = Fixtures.projectDir().resolve("examples/toy_train.py");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--backoff", "0s", "--max-attempts", "2", "--run-dir", "runs",
                "--", "python3", toy.toString(), "--batch-size", "1024", "--max-fit", "8");
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        Path run;
        try (var l = Files.list(tmp.resolve("runs"))) {
            run = l.findFirst().orElseThrow();
        }
        InProcess r = InProcess.run("replay", "--json", "--rules", Fixtures.rulesDir().toString(), "--catalog",
                Fixtures.catalogDir().toString(), "--history", run.resolve("journal.jsonl").toString(),
                run.resolve("attempt-2.log").toString(), "--exit-code", "1");
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("cuda_oom", j.path("failure").asText());
        assertEquals("reduce_batch_size", j.path("decision").path("fix").asText(), j.toString());

        // with a budget of one halving, the history says it is spent
        Path cat = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Path f = cat.resolve("failures.yaml");
        Files.writeString(f, Files.readString(f).replace("        budget: 6\n", "        budget: 1\n"));
        InProcess spent = InProcess.run("replay", "--json", "--rules", Fixtures.rulesDir().toString(), "--catalog", cat.toString(),
                "--history", run.resolve("journal.jsonl").toString(), run.resolve("attempt-2.log").toString(), "--exit-code", "1");
        JsonNode s = new ObjectMapper().readTree(spent.out());
        assertEquals("escalate", s.path("decision").path("fix").asText(), s.toString());
        assertTrue(s.path("skipped").toString().contains("its budget of 1 is spent"), s.toString());
    }

    @Test
    void aMissingJournalIsBadInput() throws Exception {
        Path log = Files.writeString(tmp.resolve("x.log"), "hello\n");
        InProcess r = InProcess.run("replay", "--history", tmp.resolve("nope.jsonl").toString(), log.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("--history: ") && r.err().contains("no such file"), r.err());
    }

    @Test
    void aFileThatIsNotAJournalIsBadInput() throws Exception {
        Path log = Files.writeString(tmp.resolve("y.log"), "hello\n");
        Path garbage = Files.writeString(tmp.resolve("garbage.jsonl"), "garbage\n");
        InProcess r = InProcess.run("replay", "--history", garbage.toString(), log.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("not a medic journal"), r.err());
    }
}
