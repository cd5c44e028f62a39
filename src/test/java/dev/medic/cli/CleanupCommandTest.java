package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.journal.JournalLines;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** medic killed with SIGKILL: its journal stays valid and `medic cleanup` stops what it left, and only that. */
class CleanupCommandTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("fault")
    void aKilledSupervisorLeavesAValidJournalAndCleanupStopsItsChild() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--run-dir", "runs", "--", "python3", "-c",
                "import os, time; open('" + pidFile + "', 'w').write(str(os.getpid())); print('training', flush=True); time.sleep(300)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            assertTrue(System.nanoTime() < deadline, m.err());
            Thread.sleep(50);
        }
        long child = Long.parseLong(Files.readString(pidFile).strip());
        // an unrelated process that is not part of any run must survive the cleanup
        Process bystander = new ProcessBuilder("sleep", "60").start();
        m.process.destroyForcibly();
        m.process.waitFor(10, TimeUnit.SECONDS);
        assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the child outlived its killed supervisor");

        Path run;
        try (var l = Files.list(tmp.resolve("runs"))) {
            run = l.findFirst().orElseThrow();
        }
        List<JsonNode> journal = JournalLines.read(run.resolve("journal.jsonl"));
        assertEquals("attempt_started", journal.get(journal.size() - 1).path("event").asText(), "valid up to the last record");
        InProcess history = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), run.getFileName().toString());
        assertEquals(ExitCodes.SUCCESS, history.exitCode());
        assertTrue(history.out().contains("no run_finished record"), history.out());

        MedicProcess cleanup = MedicProcess.start(tmp, Map.of(), "cleanup");
        assertEquals(ExitCodes.SUCCESS, cleanup.waitFor(), cleanup.err());
        assertTrue(cleanup.out().contains("stopped process " + child), cleanup.out());
        Thread.sleep(200);
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && !zombie(child), "the orphan was stopped");
        assertTrue(bystander.isAlive(), "only a dead run's processes are stopped");
        bystander.destroy();
        KilledSupervisorTest.removeSpool(run);
    }

    private static boolean zombie(long pid) {
        try {
            String st = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return st.charAt(st.lastIndexOf(')') + 2) == 'Z';
        } catch (Exception e) {
            return true;
        }
    }
}
