package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.metrics.PromText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic run --metrics-file` and `medic sweep --metrics-file` over real child processes; the file checked with the text-format grammar. */
class MetricsEndToEndTest {
    @TempDir
    Path tmp;

    /** Fails once without a word (an `unknown` failure), then runs the toy trainer, which runs out of "GPU memory" above 128. */
    private Path flakyTrainer() throws Exception {
        return Files.writeString(tmp.resolve("flaky.py"), """
                import os, sys
                marker = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'failed-once')
                if not os.path.exists(marker):
                    open(marker, 'w').close()
                    sys.exit(3)
                os.execv(sys.executable, [sys.executable, sys.argv[1]] + sys.argv[2:])
                """);
    }

    private static String toy() {
        return Fixtures.projectDir().resolve("examples/toy_train.py").toString();
    }

    private static String onlyChild(Path dir) throws Exception {
        try (var l = Files.list(dir)) {
            List<Path> all = l.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0).getFileName().toString();
        }
    }

    @Test
    void aRunsMetricsFileParsesAndCountsAttemptsFailuresAndFixes() throws Exception {
        Path prom = Files.createDirectories(tmp.resolve("textfile")).resolve("medic.prom");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--backoff", "0s", "--run-dir", "runs",
                "--metrics-file", prom.toString(), "--", "python3", flakyTrainer().toString(), toy(),
                "--batch-size", "256", "--step-time", "0");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        String runId = onlyChild(tmp.resolve("runs"));
        assertEquals("medic.prom", onlyChild(prom.getParent()), "no temporary file is left beside it");

        PromText.Parsed p = PromText.parse(Files.readString(prom));
        assertEquals("1", p.value("medic_runs", "status", "succeeded"));
        assertEquals("0", p.value("medic_runs", "status", "running"));
        assertEquals("1", p.value("medic_run_status", "run_id", runId, "status", "succeeded"));
        assertEquals("3", p.value("medic_attempts_total", "run_id", runId));
        assertEquals("1", p.value("medic_failures_total", "run_id", runId, "failure", "unknown"));
        assertEquals("1", p.value("medic_failures_total", "run_id", runId, "failure", "cuda_oom"));
        assertEquals("1", p.value("medic_fixes_total", "run_id", runId, "fix", "retry"));
        assertEquals("1", p.value("medic_fixes_total", "run_id", runId, "fix", "reduce_batch_size"));
        assertEquals("0", p.value("medic_last_exit_code", "run_id", runId));
        assertEquals("0", p.value("medic_warnings_total", "run_id", runId));
        assertEquals("counter", p.types().get("medic_failures_total"));
        assertFalse(m.err().contains("metrics"), m.err());
    }

    @Test
    void aMetricsFileThatCannotBeWrittenWarnsOnceAndTheRunStillSucceeds() throws Exception {
        Path notAFolder = Files.writeString(tmp.resolve("plain-file"), "x");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--backoff", "0s", "--run-dir", "runs",
                "--metrics-file", notAFolder.resolve("medic.prom").toString(), "--", "python3", toy(),
                "--batch-size", "256", "--step-time", "0");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        List<String> warned = m.err().lines().filter(l -> l.contains("metrics file")).toList();
        assertEquals(List.of("medic: warning: cannot write the metrics file " + notAFolder.resolve("medic.prom")
                + ": Not a directory (the run goes on; this is not repeated)"), warned);
        assertTrue(m.err().contains("medic: run finished: succeeded after 2 attempt(s)"), m.err());
    }

    @Test
    void medicYamlCanNameTheMetricsFile() throws Exception {
        Files.writeString(tmp.resolve("medic.yaml"), "metrics-file: run.prom\nbackoff: 0s\n");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--run-dir", "runs", "--", "python3", toy(),
                "--batch-size", "64", "--step-time", "0");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        PromText.Parsed p = PromText.parse(Files.readString(tmp.resolve("run.prom")));
        assertEquals("1", p.value("medic_attempts_total", "run_id", onlyChild(tmp.resolve("runs"))));
    }

    @Test
    void aSweepWritesOneFileWithEveryTrial() throws Exception {
        Path prom = tmp.resolve("sweep.prom");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "bs=256,64", "--parallel", "2", "--backoff", "0s",
                "--sweep-dir", "sweeps", "--metrics-file", prom.toString(), "--", "python3", toy(), "--batch-size", "{bs}",
                "--step-time", "0");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        Path trials = tmp.resolve("sweeps").resolve(onlyChild(tmp.resolve("sweeps"))).resolve("trials");
        PromText.Parsed p = PromText.parse(Files.readString(prom));
        assertEquals("2", p.value("medic_runs", "status", "succeeded"));
        int withOom = 0;
        try (var l = Files.list(trials)) {
            for (Path run : l.toList()) {
                String id = run.getFileName().toString();
                String attempts = p.value("medic_attempts_total", "run_id", id);
                if ("2".equals(attempts)) {
                    withOom++;
                    assertEquals("1", p.value("medic_failures_total", "run_id", id, "failure", "cuda_oom"));
                } else {
                    assertEquals("1", attempts, id);
                    assertNull(p.value("medic_failures_total", "run_id", id, "failure", "cuda_oom"));
                }
            }
        }
        assertEquals(1, withOom, "one trial needed a smaller batch");
    }
}
