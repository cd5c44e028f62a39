package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.journal.JournalLines;
import dev.medic.journal.JournalReader;
import dev.medic.util.ByteSizes;
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

/** `medic run` as a real process: exit codes, signals, one-line errors. */
class RunCommandTest {
    @TempDir
    Path tmp;

    private static String toy() {
        return Fixtures.projectDir().resolve("examples/toy_train.py").toString();
    }

    @Test
    void theDemoCommandEndsInSuccess() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--backoff", "0s", "--", "python3", toy(), "--batch-size", "1024",
                "--step-time", "0");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        assertTrue(m.err().contains("medic: run finished: succeeded after 4 attempt(s)"), m.err());
        assertTrue(m.err().contains("medic: rules: " + Fixtures.rulesDir() + "/ (beside bin/medic)"), m.err());
        assertTrue(m.out().contains("toy_train: done"), "the run's output is shown live");
    }

    @Test
    @Tag("fault")
    void sigtermStopsEveryProcessOfTheRunEvenThoseIgnoringTerm() throws Exception {
        exitsCleanlyOn("TERM", ExitCodes.INTERRUPTED_TERM);
    }

    @Test
    void sigintStopsTheRunWith130() throws Exception {
        exitsCleanlyOn("INT", ExitCodes.INTERRUPTED_INT);
    }

    private void exitsCleanlyOn(String signal, int expectedExit) throws Exception {
        Path pids = tmp.resolve("pids");
        Files.createDirectories(pids);
        Path s = tmp.resolve("stubborn.py");
        Files.writeString(s, """
                import os, signal, sys, time
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                if os.fork() == 0:
                    # the grandchild ignores TERM too and would outlive a naive kill of the child
                    open(os.path.join(sys.argv[1], 'grandchild'), 'w').write(str(os.getpid()))
                    while True:
                        time.sleep(1)
                open(os.path.join(sys.argv[1], 'child'), 'w').write(str(os.getpid()))
                print('training', flush=True)
                while True:
                    time.sleep(1)
                """);
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--kill-grace", "1s", "--run-dir", "runs", "--",
                "python3", s.toString(), pids.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(pids.resolve("child")) && Files.exists(pids.resolve("grandchild")))) {
            assertTrue(System.nanoTime() < deadline, "the child did not start: " + m.err());
            Thread.sleep(50);
        }
        Thread.sleep(200);
        long child = Long.parseLong(Files.readString(pids.resolve("child")).strip());
        long grandchild = Long.parseLong(Files.readString(pids.resolve("grandchild")).strip());
        new ProcessBuilder("kill", "-" + signal, Long.toString(m.process.pid())).start().waitFor();
        assertEquals(expectedExit, m.waitFor(), m.err());
        assertFalse(alive(child), "child " + child + " is gone");
        assertFalse(alive(grandchild), "grandchild " + grandchild + " is gone");
        Path runDir;
        try (var l = Files.list(tmp.resolve("runs"))) {
            runDir = l.findFirst().orElseThrow();
        }
        List<JsonNode> journal = JournalLines.read(runDir.resolve("journal.jsonl"));
        JsonNode last = journal.get(journal.size() - 1);
        assertEquals("run_finished", last.path("event").asText());
        assertEquals("interrupted", last.path("status").asText());
        assertEquals(expectedExit, last.path("exit_code").asInt());
    }

    private static boolean alive(long pid) throws Exception {
        // a zombie awaiting its reaper is not running any more
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String st = Files.readString(stat);
            return st.charAt(st.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    @Test
    void aCommandThatDoesNotExistIsBadInputInOneLine() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--", "no-such-trainer", "--epochs", "1");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor());
        assertEquals("medic: command not found: no-such-trainer (not on PATH)", lastLine(m.err()));
        assertFalse(m.err().contains("\tat "), "no stack trace");
    }

    @Test
    void aBrokenCatalogIsExit2NamingFileAndProperty() throws Exception {
        Path cat = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Path f = cat.resolve("failures.yaml");
        Files.writeString(f, Files.readString(f).replace("budget: 6", "budget: -1"));
        Path started = tmp.resolve("started");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--catalog", cat.toString(), "--", "touch", started.toString());
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor());
        assertEquals("medic: catalog/failures.yaml: cuda_oom.ladder[1].budget: must be a positive integer", lastLine(m.err()));
        assertFalse(Files.exists(started), "the child never started");
    }

    @Test
    void anOversizedCatalogFileIsExit2InOneLineBeforeItIsParsed() throws Exception {
        Path cat = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        // one long quoted scalar: the YAML parser takes seconds over it, so it must be refused by size first
        Files.writeString(cat.resolve("zz-big.yaml"), "failures:\n  - id: zz_big\n    description: \"" + "x".repeat(3 << 20)
                + "\"\n    signatures:\n      - pattern: zz big failure\n    ladder: [escalate]\n");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--catalog", cat.toString(), "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor(), m.err());
        assertEquals("medic: catalog/zz-big.yaml: " + ByteSizes.format(Files.size(cat.resolve("zz-big.yaml")))
                + " is over the 1M limit for a catalog file", lastLine(m.err()));
    }

    @Test
    void brokenRulesStopTheRunWithFileAndLine() throws Exception {
        Path rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
        Files.writeString(rules.resolve("zz-broken.drl"), "package medic.rules;\nrule \"x\"\nwhen\n  Foo( \nthen\nend\n");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--rules", rules.toString(), "--", "sleep", "60");
        long t0 = System.nanoTime();
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "the child was stopped, not waited for");
        assertTrue(m.err().lines().anyMatch(l -> l.matches("medic: rules/zz-broken\\.drl:\\d+: .*")), m.err());
    }

    @Test
    void usageErrorsAreExit2() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--max-attempts", "many", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor());
        assertTrue(m.err().startsWith("medic: Invalid value for option '--max-attempts'"), m.err());
        MedicProcess d = MedicProcess.start(tmp, Map.of(), "run", "--stall-timeout", "soon", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, d.waitFor());
        assertTrue(d.err().contains("'soon' is not a duration"), d.err());
    }

    @Test
    void theConfigFileSetsOptionsAndFlagsWin() throws Exception {
        Files.writeString(tmp.resolve("medic.yaml"), "max-attempts: 1\nbackoff: 0s\nrun-dir: from-config\n");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--", "python3", toy(), "--batch-size", "1024");
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        assertTrue(m.err().contains("after 1 attempt(s)"), m.err());
        assertTrue(Files.isDirectory(tmp.resolve("from-config")));
        MedicProcess flags = MedicProcess.start(tmp, Map.of(), "run", "-q", "--max-attempts", "5", "--", "python3", toy(),
                "--batch-size", "256", "--step-time", "0");
        assertEquals(ExitCodes.SUCCESS, flags.waitFor(), flags.err());
        Files.writeString(tmp.resolve("medic.yaml"), "max-atempts: 1\n");
        MedicProcess bad = MedicProcess.start(tmp, Map.of(), "run", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, bad.waitFor());
        assertTrue(bad.err().startsWith("medic: medic.yaml: max-atempts: unknown option"), bad.err());
    }

    @Test
    void aRealEscalationOnTheConsoleSaysMedicOnce() throws Exception {
        // a module name that fails validation: pip_install is skipped and the ladder escalates at once
        Path script = tmp.resolve("bad_import.py");
        Files.writeString(script, "import sys\nprint(\"ModuleNotFoundError: No module named 'x; rm -rf /'\", file=sys.stderr)\n"
                + "sys.exit(1)\n");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--run-dir", "runs", "--", "python3", script.toString());
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        List<String> person = m.err().lines().filter(l -> l.contains("needs a person")).toList();
        assertEquals(1, person.size(), m.err());
        assertTrue(person.get(0).matches("medic: run \\S+ on \\S+ needs a person"), person.get(0));
        assertTrue(m.err().lines().noneMatch(l -> l.startsWith("medic: medic:")), m.err());
        assertTrue(m.err().contains("medic: escalated: "), m.err());
    }

    @Test
    void aDryRunPrintsTheChangeLinesReplayShows() throws Exception {
        String oom = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB";
        Path script = tmp.resolve("oom.py");
        Files.writeString(script, "import sys\nprint('" + oom + "', file=sys.stderr)\nsys.exit(1)\n");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--dry-run", "-q", "--run-dir", "runs", "--",
                "python3", script.toString(), "--batch-size", "64");
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        assertTrue(m.err().contains("medic: dry run: would apply reduce_batch_size\n"
                + "medic:   change: argv[3] --batch-size: 64 -> 32\n"
                + "medic:   next command: python3 " + script + " --batch-size 32\n"), m.err());
        Path log = tmp.resolve("oom.log");
        Files.writeString(log, oom + "\n");
        InProcess r = InProcess.run("replay", "--json", "--rules", Fixtures.rulesDir().toString(), "--catalog",
                Fixtures.catalogDir().toString(), "--exit-code", "1", log.toString(), "--", "python3", script.toString(),
                "--batch-size", "64");
        JsonNode changes = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).path("decision").path("changes");
        assertEquals(1, changes.size(), r.out());
        assertTrue(m.err().contains("medic:   change: " + changes.get(0).asText() + "\n"), "the same line: " + r.out());
        JsonNode planned = JournalLines.read(onlyRun(tmp.resolve("runs")).resolve("journal.jsonl")).stream()
                .filter(j -> j.path("event").asText().equals("fix_planned")).findFirst().orElseThrow();
        assertEquals(changes, planned.path("changes"), "the journal holds the same lines");
    }

    private static Path onlyRun(Path runs) throws java.io.IOException {
        List<Path> dirs = JournalReader.runs(runs);
        assertEquals(1, dirs.size(), dirs.toString());
        return dirs.get(0);
    }

    private static String lastLine(String s) {
        List<String> lines = s.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
