package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.journal.JournalLines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rule that spins, sleeps, exits the JVM or allocates forever, in a real medic process: the run
 * ends with one line naming the rule, the child is stopped, the journal is whole, and SIGTERM
 * still works while the rule runs.
 */
@Tag("fault")
class RuleLimitsTest {
    @TempDir
    Path tmp;
    Path rules;

    @BeforeEach
    void setUp() {
        rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
    }

    @Test
    void aConsequenceThatSpinsIsCutOffAtTheRuleTimeoutNamingTheRule() throws Exception {
        Path drl = rule("spin.drl", "operators: spin", "LogEvent()", "while (true) { }");
        MedicProcess m = run("--rule-timeout", "2s");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor(60), m.err());
        String message = tmp.relativize(drl) + ": rule \"operators: spin\" ran longer than the rule timeout (2s); cut off (does it loop or sleep?)";
        assertEquals("medic: " + message, lastLine(m.err()));
        assertChildStoppedAndJournal("rules_failed", message, "failed", ExitCodes.BAD_INPUT);
    }

    @Test
    void aRuleCutOffInOneSweepTrialStartsNoMoreTrials() throws Exception {
        Path drl = rule("spin.drl", "operators: spin", "LogEvent()", "while (true) { }");
        Path s = Files.writeString(tmp.resolve("trial.py"), "print('torch.OutOfMemoryError: CUDA out of memory.', flush=True)\n");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--rules", rules.toString(), "--rule-timeout", "1s",
                "--grid", "t=1,2,3", "--parallel", "1", "--sweep-dir", "sweeps", "--", "python3", s.toString(), "{t}");
        m.waitFor(120);
        Path sweep;
        try (var l = Files.list(tmp.resolve("sweeps"))) {
            sweep = l.findFirst().orElseThrow();
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(sweep.resolve("sweep.jsonl"))) {
            rows.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
        }
        rows.sort(java.util.Comparator.comparingInt(r -> r.path("trial").asInt()));
        String cut = tmp.relativize(drl) + ": rule \"operators: spin\" ran longer than the rule timeout (1s); cut off (does it loop or sleep?)";
        assertEquals("error: " + cut, rows.get(0).path("status").asText(), rows.toString());
        for (int i = 1; i < 3; i++) {
            assertEquals("not started: the rules failed in another trial (" + cut + ")", rows.get(i).path("status").asText(), rows.toString());
        }
    }

    @Test
    void aLongSleepIsCutOffAtTheDefaultTenSeconds() throws Exception {
        Path drl = rule("nap.drl", "operators: nap", "LogEvent()", "Thread.sleep(600000);");
        long t0 = System.nanoTime();
        MedicProcess m = run();
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor(90), m.err());
        assertTrue((System.nanoTime() - t0) / 1e9 < 45, "cut off after about 10 s");
        String message = tmp.relativize(drl) + ": rule \"operators: nap\" ran longer than the rule timeout (10s); cut off (does it loop or sleep?)";
        assertEquals("medic: " + message, lastLine(m.err()));
        assertChildStoppedAndJournal("rules_failed", message, "failed", ExitCodes.BAD_INPUT);
    }

    @Test
    void anEvalThatSpinsIsCutOffNamingItsRule() throws Exception {
        Path drl = rules.resolve("spin-eval.drl");
        Files.writeString(drl, """
                package medic.rules;
                import dev.medic.facts.LogEvent;

                function boolean spins() { long i = 0; while (i >= 0) { i = i + 0; } return false; }

                rule "operators: spin in a condition"
                when
                    LogEvent()
                    eval( spins() )
                then
                end
                """);
        MedicProcess m = run("--rule-timeout", "2s");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor(60), m.err());
        String message = tmp.relativize(drl) + ": rule \"operators: spin in a condition\" ran longer than the rule timeout (2s); cut off (does it loop or sleep?)";
        assertEquals("medic: " + message, lastLine(m.err()));
        assertChildStoppedAndJournal("rules_failed", message, "failed", ExitCodes.BAD_INPUT);
    }

    @Test
    void sigtermWhileARuleSpinsStopsTheChildAndEndsWith143() throws Exception {
        rule("spin.drl", "operators: spin", "LogEvent()",
                "java.nio.file.Files.writeString(java.nio.file.Path.of(\"spinning\"), \"yes\"); while (true) { }");
        MedicProcess m = run("--rule-timeout", "10m");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(tmp.resolve("spinning"))) {
            assertTrue(System.nanoTime() < deadline && m.process.isAlive(), "the rule did not start: " + m.err());
            Thread.sleep(50);
        }
        Thread.sleep(500);
        new ProcessBuilder("kill", "-TERM", Long.toString(m.process.pid())).start().waitFor();
        assertEquals(ExitCodes.INTERRUPTED_TERM, m.waitFor(30), m.err());
        List<JsonNode> journal = assertChildStoppedAndJournal("attempt_stopping",
                "medic received SIGTERM while a rule was running (rules/spin.drl: rule \"operators: spin\")", "interrupted", ExitCodes.INTERRUPTED_TERM);
        assertEquals(1, journal.stream().filter(r -> r.path("event").asText().equals("run_finished")).count());
    }

    @Test
    void systemExitInARuleEndsTheRunWithExit2AndTheJournalWhole() throws Exception {
        Path drl = rule("quit.drl", "operators: quit", "LogEvent()", "System.exit(0);");
        MedicProcess m = run();
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor(60), m.err());
        String message = tmp.relativize(drl) + ": rule \"operators: quit\" called System.exit; a rule may not end medic";
        assertEquals("medic: " + message, lastLine(m.err()));
        assertChildStoppedAndJournal("rules_failed", message, "failed", ExitCodes.BAD_INPUT);
    }

    @Test
    void aRuleThatAllocatesForeverIsOneLineAndExit2() throws Exception {
        Path drl = rule("hog.drl", "operators: hog", "LogEvent()",
                "java.util.List hoard = new java.util.ArrayList(); while (true) { hoard.add(new long[1 << 18]); }");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), List.of("-Xmx128m"), args());
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor(60), m.err());
        String message = tmp.relativize(drl) + ": rule \"operators: hog\" threw OutOfMemoryError: Java heap space";
        assertEquals("medic: " + message, lastLine(m.err()));
        assertFalse(m.err().contains("\tat "), "no stack trace: " + m.err());
        assertFalse(m.err().contains("Exception in thread"), m.err());
        assertChildStoppedAndJournal("rules_failed", message, "failed", ExitCodes.BAD_INPUT);
    }

    private Path rule(String file, String name, String when, String then) throws Exception {
        Path drl = rules.resolve(file);
        Files.writeString(drl, "package medic.rules;\nimport dev.medic.facts.LogEvent;\n\nrule \"" + name + "\"\nwhen\n    " + when
                + "\nthen\n    " + then + "\nend\n");
        return drl;
    }

    private MedicProcess run(String... options) throws Exception {
        return MedicProcess.start(tmp, Map.of(), args(options));
    }

    /** medic run over a child that prints a GPU OOM line (which the rules see) and then waits. */
    private String[] args(String... options) throws Exception {
        Path s = tmp.resolve("oom.py");
        Files.writeString(s, """
                import os, sys, time
                open(sys.argv[1], 'w').write(str(os.getpid()))
                print('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB', flush=True)
                time.sleep(120)
                """);
        List<String> a = new ArrayList<>(List.of("run", "--rules", rules.toString(), "--run-dir", "runs", "--kill-grace", "1s"));
        a.addAll(List.of(options));
        a.addAll(List.of("--", "python3", s.toString(), tmp.resolve("child.pid").toString()));
        return a.toArray(String[]::new);
    }

    /** The child is gone; the journal's last two records are {@code event} with {@code message}, then run_finished. */
    private List<JsonNode> assertChildStoppedAndJournal(String event, String message, String status, int exitCode) throws Exception {
        long pid = Long.parseLong(Files.readString(tmp.resolve("child.pid")).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child was stopped");
        Path runDir;
        try (var l = Files.list(tmp.resolve("runs"))) {
            runDir = l.findFirst().orElseThrow();
        }
        List<JsonNode> journal = JournalLines.read(runDir.resolve("journal.jsonl"));
        JsonNode before = journal.get(journal.size() - 2);
        assertEquals(event, before.path("event").asText(), journal.toString());
        assertEquals(message, event.equals("rules_failed") ? before.path("message").asText() : before.path("reason").asText());
        JsonNode last = journal.get(journal.size() - 1);
        assertEquals("run_finished", last.path("event").asText());
        assertEquals(status, last.path("status").asText());
        assertEquals(exitCode, last.path("exit_code").asInt());
        return journal;
    }

    private static String lastLine(String s) {
        List<String> lines = s.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
