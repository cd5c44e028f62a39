package dev.medic.metrics;

import dev.medic.journal.Event;
import dev.medic.journal.Journal;
import dev.medic.journal.JournalCodec;
import dev.medic.logs.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics file driven by a real journal's records, checked with the text-format grammar after every event. */
class MetricsFileTest {
    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    /** A journal whose records go to {@code listener}, as a supervisor's do. */
    private Journal journal(String name, Consumer<Event> listener) throws Exception {
        Journal j = new Journal(tmp.resolve(name + ".jsonl"), Redactor.fromEnvironments(Map.of()));
        j.addListener(listener);
        return j;
    }

    /** Writes the event a record with these fields reads as, as a supervisor writes its events. */
    private static void record(Journal j, String kind, int attempt, Map<String, Object> fields) {
        Map<String, Object> r = fields("event", kind, "attempt", attempt);
        r.putAll(fields);
        j.write(JournalCodec.decode(r));
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private PromText.Parsed read(Path file) throws Exception {
        return PromText.parse(Files.readString(file));
    }

    @Test
    void aRunsCountersStatusAndProgressFollowItsJournal() throws Exception {
        Path file = tmp.resolve("medic.prom");
        MetricsFile metrics = new MetricsFile(file, warnings::add);
        try (Journal j = journal("run", metrics)) {
            record(j, "run_started", 0, fields("run_id", "20261126-131800-ab12", "backend", "local"));
            PromText.Parsed p = read(file);
            assertEquals("1", p.value("medic_runs", "status", "running"));
            assertEquals("0", p.value("medic_runs", "status", "succeeded"));
            assertEquals("1", p.value("medic_run_status", "run_id", "20261126-131800-ab12", "status", "running"));
            assertEquals("0", p.value("medic_attempts_total", "run_id", "20261126-131800-ab12"));
            assertNull(p.value("medic_last_loss", "run_id", "20261126-131800-ab12"), "no progress reported yet");
            assertFalse(Files.readString(file).contains("medic_last_loss"), "a family without samples is left out");

            record(j, "attempt_started", 1, fields("argv", List.of("python3", "train.py"), "pid", 4242));
            record(j, "progress", 1, fields("step", 120, "total_steps", 1000, "epoch", 0.5, "loss", 0.41,
                    "learning_rate", 3e-4, "throughput", 812.5, "throughput_unit", "it/s"));
            p = read(file);
            assertEquals("120", p.value("medic_last_step", "run_id", "20261126-131800-ab12"));
            assertEquals("1000", p.value("medic_total_steps", "run_id", "20261126-131800-ab12"));
            assertEquals("0.5", p.value("medic_last_epoch", "run_id", "20261126-131800-ab12"));
            assertEquals("0.41", p.value("medic_last_loss", "run_id", "20261126-131800-ab12"));
            assertEquals("0.0003", p.value("medic_last_learning_rate", "run_id", "20261126-131800-ab12"));
            assertEquals("812.5", p.value("medic_last_throughput", "run_id", "20261126-131800-ab12", "unit", "it/s"));

            // a diverged run: the loss as the JSON string "NaN"; fields left out keep their values
            record(j, "progress", 1, fields("step", 130, "loss", "NaN"));
            p = read(file);
            assertEquals("NaN", p.value("medic_last_loss", "run_id", "20261126-131800-ab12"));
            assertEquals("130", p.value("medic_last_step", "run_id", "20261126-131800-ab12"));
            assertEquals("0.0003", p.value("medic_last_learning_rate", "run_id", "20261126-131800-ab12"));

            record(j, "attempt_finished", 1, fields("exit_code", 1, "signal", null, "duration_ms", 5000,
                    "last_progress", fields("step", 131, "loss", Double.POSITIVE_INFINITY)));
            record(j, "failure", 1, fields("failure", "cuda_oom", "root", true, "matches", 1));
            record(j, "failure", 1, fields("failure", "nccl_error", "root", false, "matches", 3));
            record(j, "decision", 1, fields("failure", "cuda_oom", "fix", "reduce_batch_size"));
            record(j, "fix_applied", 1, fields("fix", "reduce_batch_size", "changes", List.of("--batch-size: 64 -> 32")));
            record(j, "backoff", 1, fields("wait_ms", 1000));
            record(j, "warning", 2, fields("message", "rules reloaded with a warning"));
            record(j, "attempt_started", 2, fields("argv", List.of("python3", "train.py")));
            record(j, "attempt_finished", 2, fields("exit_code", 1));
            record(j, "requeued", 2, fields("state", "PREEMPTED"));
            record(j, "attempt_started", 3, fields("argv", List.of("python3", "train.py")));
            record(j, "attempt_finished", 3, fields("exit_code", 1));
            record(j, "failure", 3, fields("failure", "cuda_oom", "root", true));
            record(j, "fix_applied", 3, fields("fix", "reduce_batch_size"));
            record(j, "attempt_started", 4, fields("argv", List.of("python3", "train.py")));
            record(j, "progress", 4, fields("loss", Double.NaN, "throughput", 90, "throughput_unit", "samples/s"));
            p = read(file);
            assertEquals("NaN", p.value("medic_last_loss", "run_id", "20261126-131800-ab12"), "a JSON NaN number");
            assertEquals("131", p.value("medic_last_step", "run_id", "20261126-131800-ab12"), "from attempt_finished's last_progress");
            assertEquals("90", p.value("medic_last_throughput", "run_id", "20261126-131800-ab12", "unit", "samples/s"));
            assertNull(p.value("medic_last_throughput", "run_id", "20261126-131800-ab12", "unit", "it/s"), "one throughput series");
            record(j, "attempt_finished", 4, fields("exit_code", 0));
            record(j, "run_finished", 4, fields("status", "succeeded", "exit_code", 0, "attempts", 4));
        }
        PromText.Parsed p = read(file);
        String id = "20261126-131800-ab12";
        assertEquals("0", p.value("medic_runs", "status", "running"));
        assertEquals("1", p.value("medic_runs", "status", "succeeded"));
        assertEquals("1", p.value("medic_run_status", "run_id", id, "status", "succeeded"));
        assertNull(p.value("medic_run_status", "run_id", id, "status", "running"));
        assertEquals("4", p.value("medic_attempts_total", "run_id", id));
        assertEquals("1", p.value("medic_requeues_total", "run_id", id));
        assertEquals("1", p.value("medic_warnings_total", "run_id", id));
        assertEquals("0", p.value("medic_last_exit_code", "run_id", id));
        assertEquals("2", p.value("medic_failures_total", "run_id", id, "failure", "cuda_oom"));
        assertNull(p.value("medic_failures_total", "run_id", id, "failure", "nccl_error"), "only root causes count");
        assertEquals("2", p.value("medic_fixes_total", "run_id", id, "fix", "reduce_batch_size"));
        assertEquals("counter", p.types().get("medic_fixes_total"));
        assertEquals("gauge", p.types().get("medic_last_loss"));
        double started = Double.parseDouble(p.value("medic_run_start_time_seconds", "run_id", id));
        double last = Double.parseDouble(p.value("medic_run_last_event_time_seconds", "run_id", id));
        double now = System.currentTimeMillis() / 1000.0;
        assertTrue(started > now - 600 && started <= last && last <= now + 1, started + " " + last + " " + now);
        assertEquals(List.of(), warnings);
    }

    @Test
    void theFileIsReplacedWholeReadableByOthersAndNoTemporaryFileStays() throws Exception {
        Path file = tmp.resolve("prom").resolve("medic.prom");
        Files.createDirectories(file.getParent());
        MetricsFile metrics = new MetricsFile(file, warnings::add);
        try (Journal j = journal("run", metrics)) {
            record(j, "run_started", 0, fields("run_id", "r1"));
            for (int n = 1; n <= 20; n++) {
                record(j, "attempt_started", n, fields());
                record(j, "progress", n, fields("step", n * 10, "loss", 1.0 / n));
            }
        }
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList(), "only the .prom file is left in the collector's folder");
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "node_exporter runs as another user");
        assertEquals("20", read(file).value("medic_attempts_total", "run_id", "r1"));
        assertEquals("0.05", read(file).value("medic_last_loss", "run_id", "r1"));
    }

    @Test
    void labelValuesAndUnitsFromTheRunAreEscaped() throws Exception {
        Path file = tmp.resolve("medic.prom");
        MetricsFile metrics = new MetricsFile(file, warnings::add);
        String unit = "tok/s \"per\\GPU\"\nnext";
        try (Journal j = journal("run", metrics)) {
            record(j, "run_started", 0, fields("run_id", "a\"b\\c"));
            record(j, "progress", 1, fields("throughput", "1.5e3", "throughput_unit", unit, "loss", "-inf", "step", "not a number"));
        }
        String text = Files.readString(file);
        assertTrue(text.contains("unit=\"tok/s \\\"per\\\\GPU\\\"\\nnext\""), text);
        PromText.Parsed p = read(file);
        assertEquals("1500", p.value("medic_last_throughput", "run_id", "a\"b\\c", "unit", unit));
        assertEquals("-Inf", p.value("medic_last_loss", "run_id", "a\"b\\c"));
        assertNull(p.value("medic_last_step", "run_id", "a\"b\\c"), "a step that is no number is not reported");
    }

    @Test
    void aSweepKeepsEveryRunApartByRunId() throws Exception {
        Path file = tmp.resolve("sweep.prom");
        MetricsFile metrics = new MetricsFile(file, warnings::add);
        try (Journal a = journal("a", metrics.forRun()); Journal b = journal("b", metrics.forRun())) {
            record(a, "run_started", 0, fields("run_id", "trial-a"));
            record(b, "run_started", 0, fields("run_id", "trial-b"));
            record(a, "attempt_started", 1, fields());
            record(b, "attempt_started", 1, fields());
            record(b, "failure", 1, fields("failure", "code_bug", "root", true));
            record(a, "progress", 1, fields("step", 7));
            assertEquals("2", read(file).value("medic_runs", "status", "running"));
            record(b, "run_finished", 1, fields("status", "escalated"));
            record(a, "run_finished", 1, fields("status", "succeeded"));
        }
        PromText.Parsed p = read(file);
        assertEquals("0", p.value("medic_runs", "status", "running"));
        assertEquals("1", p.value("medic_runs", "status", "succeeded"));
        assertEquals("1", p.value("medic_runs", "status", "escalated"));
        assertEquals("1", p.value("medic_failures_total", "run_id", "trial-b", "failure", "code_bug"));
        assertNull(p.value("medic_failures_total", "run_id", "trial-a", "failure", "code_bug"));
        assertEquals("7", p.value("medic_last_step", "run_id", "trial-a"));
        assertNull(p.value("medic_last_step", "run_id", "trial-b"));
    }

    @Test
    void aFileThatCannotBeWrittenWarnsOnceAndTheRunGoesOn() throws Exception {
        // a file where the folder should be: refused even to root
        Path notAFolder = Files.writeString(tmp.resolve("plain-file"), "x");
        MetricsFile metrics = new MetricsFile(notAFolder.resolve("medic.prom"), warnings::add);
        try (Journal j = journal("run", metrics)) {
            record(j, "run_started", 0, fields("run_id", "r1"));
            record(j, "attempt_started", 1, fields());
            record(j, "run_finished", 1, fields("status", "failed"));
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("cannot write the metrics file " + notAFolder.resolve("medic.prom") + ": Not a directory"
                + " (the run goes on; this is not repeated)", warnings.get(0));
        assertEquals(3, Files.readAllLines(tmp.resolve("run.jsonl")).size(), "the journal has every record");
    }

    @Test
    void aMissingFolderIsNamedAndAWriteSucceedsOnceItExists() throws Exception {
        Path dir = tmp.resolve("textfile");
        MetricsFile metrics = new MetricsFile(dir.resolve("medic.prom"), warnings::add);
        try (Journal j = journal("run", metrics)) {
            record(j, "run_started", 0, fields("run_id", "r1"));
            Files.createDirectories(dir);
            record(j, "attempt_started", 1, fields());
        }
        assertEquals(List.of("cannot write the metrics file " + dir.resolve("medic.prom") + ": the folder " + dir
                + " does not exist (the run goes on; this is not repeated)"), warnings);
        assertEquals("1", read(dir.resolve("medic.prom")).value("medic_attempts_total", "run_id", "r1"));
    }

    @Test
    void recordsBeforeTheRunStartsAreIgnored() throws Exception {
        Path file = tmp.resolve("medic.prom");
        MetricsFile metrics = new MetricsFile(file, warnings::add);
        metrics.accept(JournalCodec.decode(fields("event", "attempt_started", "attempt", 1)));
        assertFalse(Files.exists(file));
    }

    @Test
    void aResumedRunIsCountedFromItsRunResumedRecord() throws Exception {
        Path file = tmp.resolve("medic.prom");
        MetricsFile metrics = new MetricsFile(file, warnings::add);
        try (Journal j = journal("resumed", metrics)) {
            record(j, "run_resumed", 3, fields("run_id", "r1"));
            record(j, "attempt_started", 4, fields());
            assertEquals("1", read(file).value("medic_runs", "status", "running"));
            record(j, "run_finished", 4, fields("status", "succeeded"));
        }
        PromText.Parsed p = read(file);
        assertEquals("1", p.value("medic_runs", "status", "succeeded"));
        assertEquals("1", p.value("medic_attempts_total", "run_id", "r1"));
    }

    @Test
    void valuesUseGoFloatSyntax() {
        assertEquals("NaN", TextFormat.value(Double.NaN));
        assertEquals("+Inf", TextFormat.value(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", TextFormat.value(Double.NEGATIVE_INFINITY));
        assertEquals("100", TextFormat.value(100));
        assertEquals("-3", TextFormat.value(-3));
        assertEquals("0.0003", TextFormat.value(3e-4));
        assertEquals("1732630000.123", TextFormat.value(1732630000.123));
        assertEquals("1.0E-7", TextFormat.value(1e-7));
        assertEquals("1.5E15", TextFormat.value(1.5e15));
        assertEquals(Double.NaN, TextFormat.number("nan"));
        assertEquals(0.25, TextFormat.number(" 0.25 "));
        assertNull(TextFormat.number("fast"));
        assertNull(TextFormat.number(List.of(1)));
    }

    @Test
    void theGrammarCheckerRefusesWhatTheFormatForbids() {
        PromText.parse("# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 1\na_total{x=\"2\"} 2\n");
        for (String bad : List.of(
                "# HELP a A.\n# TYPE a gauge\na 1",                                  // no final newline
                "# HELP a A.\n# TYPE a gauge\na 1\na 2\n",                           // duplicate series
                "# HELP a A.\na 1\n# TYPE a gauge\n",                                // TYPE after its sample
                "# HELP a A.\n# TYPE a gauge\n# TYPE a gauge\na 1\n",                // two TYPE lines
                "# HELP a A.\n# TYPE a gauge\na{x=\"\\t\"} 1\n",                     // bad escape
                "# HELP a A.\n# TYPE a gauge\na{x=\"1\"} 1 1700000000000\n",         // a timestamp
                "# HELP a A.\n# TYPE a gauge\na 1,5\n",                              // not a float
                "# HELP a A.\n# TYPE a gauge\na{1x=\"1\"} 1\n",                      // bad label name
                "# HELP a A.\n# TYPE a gauge\n# HELP b B.\n# TYPE b gauge\na{x=\"1\"} 1\nb 1\na{x=\"2\"} 1\n", // split family
                "# TYPE a gauge\na 1\n",                                             // no HELP
                "# HELP 1a A.\n# TYPE 1a gauge\n1a 1\n")) {                          // bad metric name
            assertThrows(PromText.Invalid.class, () -> PromText.parse(bad), bad);
        }
    }
}
