package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic run|sweep --backend slurm` as real processes against a real one-node cluster. */
class SlurmRunCommandTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void cluster() {
        dev.medic.backend.slurm.SlurmTestSupport.requireCluster();
    }

    private static String squeue() throws Exception {
        Process p = new ProcessBuilder("squeue", "--noheader", "--format=%j").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void aCancelledRunLeavesNoJobQueued() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--backend", "slurm", "--run-dir", "runs", "--",
                "sh", "-c", "echo started; sleep 300");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!m.out().contains("started")) {
            assertTrue(System.nanoTime() < deadline, "the job did not start: " + m.err());
            Thread.sleep(200);
        }
        String runId;
        try (var l = Files.list(tmp.resolve("runs"))) {
            runId = l.findFirst().orElseThrow().getFileName().toString();
        }
        assertTrue(squeue().contains("medic-" + runId), squeue());
        m.process.destroy();
        assertEquals(ExitCodes.INTERRUPTED_TERM, m.waitFor(), m.err());
        assertTrue(!squeue().contains("medic-" + runId), "no job of the run is queued: " + squeue());
    }

    @Test
    void aSweepSubmitsEachTrialAsItsOwnJob() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--backend", "slurm", "--grid", "t=1,2,3", "--parallel", "3",
                "--sweep-dir", "sweeps", "--", "sh", "-c", "echo trial {t} on $SLURM_JOB_ID");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        assertTrue(m.err().contains("3 trial(s), 3 at once as Slurm jobs"), m.err());
        Path sweep;
        try (var l = Files.list(tmp.resolve("sweeps"))) {
            sweep = l.findFirst().orElseThrow();
        }
        List<String> rows = Files.readAllLines(sweep.resolve("sweep.jsonl"));
        assertEquals(3, rows.size());
        java.util.Set<String> jobs = new java.util.HashSet<>();
        for (String row : rows) {
            JsonNode r = new ObjectMapper().readTree(row);
            assertEquals("succeeded", r.path("status").asText());
            String log = Files.readString(sweep.resolve("trials").resolve(r.path("run_id").asText()).resolve("attempt-1.log"));
            assertTrue(log.matches("(?s)trial \\d on \\d+\\s*"), log);
            jobs.add(log.strip().replaceAll(".* on ", ""));
        }
        assertEquals(3, jobs.size(), "three jobs: " + jobs);
    }

    @Test
    void anAbbreviatedOptionMedicSetsIsRefusedBeforeAnyJob() throws Exception {
        Path hijack = tmp.resolve("hijack.out");
        for (String arg : List.of("--outp=" + hijack, "--comm=mine", "--job=other")) {
            MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--backend", "slurm", "--run-dir", "runs",
                    "--sbatch-arg=" + arg, "--", "echo", "trained");
            assertEquals(ExitCodes.BAD_INPUT, m.waitFor(), arg + ": " + m.err());
            String name = arg.substring(2, arg.indexOf('='));
            assertTrue(m.err().matches("medic: --sbatch-arg " + Pattern.quote(arg) + ": sbatch reads --" + name
                    + " as --[a-z-]+, which medic sets itself for every job\\R"), m.err());
        }
        assertTrue(!Files.exists(hijack), "no job wrote its output elsewhere");
        assertTrue(!Files.exists(tmp.resolve("runs")) || Files.list(tmp.resolve("runs")).findAny().isEmpty(), "no run started");
    }
}
