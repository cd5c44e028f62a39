package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryCommandTest {
    @TempDir
    Path tmp;

    @Test
    void listsRunsAndShowsOneRunsAttemptsFailuresAndFixes() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--backoff", "0s", "--run-dir", "runs", "--", "python3",
                Fixtures.projectDir().resolve("examples/toy_train.py").toString(), "--batch-size", "256", "--step-time", "0");
        assertEquals(0, m.waitFor(), m.err());
        String runId;
        try (var l = Files.list(tmp.resolve("runs"))) {
            runId = l.findFirst().orElseThrow().getFileName().toString();
        }
        InProcess list = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString());
        assertEquals(ExitCodes.SUCCESS, list.exitCode(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(runId) && l.contains("succeeded") && l.contains("toy_train.py")), list.out());
        InProcess one = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), runId);
        assertEquals(ExitCodes.SUCCESS, one.exitCode(), one.err());
        assertTrue(one.out().contains("failure cuda_oom (root): line "), one.out());
        assertTrue(one.out().contains("fix reduce_batch_size: argv[3] --batch-size: 256 -> 128"), one.out());
        assertTrue(one.out().contains("finished: succeeded after 2 attempt(s)"), one.out());
        InProcess missing = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), "nope");
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
    }
}
