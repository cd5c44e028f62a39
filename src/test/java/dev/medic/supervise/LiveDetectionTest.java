package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.facts.Context;
import dev.medic.facts.Failure;
import dev.medic.fix.FixRegistry;
import dev.medic.journal.RunStatus;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.util.SourceLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each log-detected failure class, live: a child prints a real log (the traceback part to stderr,
 * as Python does) and exits with the recorded code under {@code medic run --dry-run}; the journal
 * must name the same root failure as {@code medic replay} of that log.
 */
class LiveDetectionTest {
    private static final Path CASES = Fixtures.projectDir().resolve("src/test/resources/cases");
    private static RuleSet rules;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() {
        rules = new RuleCompiler().compile(SourceLocation.find("rules", ".drl", Fixtures.rulesDir(), Map.of(), null).read());
    }

    @AfterAll
    static void dispose() {
        rules.dispose();
    }

    /** Prints the log line by line, switching to stderr at the first traceback, then exits with the given code. */
    private static final String PRINTER = """
            import sys, time
            log, code = sys.argv[1], int(sys.argv[2])
            out = sys.stdout
            with open(log, 'rb') as f:
                for raw in f:
                    line = raw.decode('utf-8', 'replace')
                    if out is sys.stdout and (line.startswith('Traceback') or 'Error' in line.split(':')[0]):
                        out.flush()
                        time.sleep(0.005)
                        out = sys.stderr
                    out.write(line)
                    out.flush()
            sys.exit(code)
            """;

    static Path firstCase(String cls) throws Exception {
        try (Stream<Path> s = Files.list(CASES.resolve(cls))) {
            return s.filter(p -> p.toString().endsWith(".log") && !p.getFileName().toString().startsWith("hard-"))
                    .sorted().findFirst().orElseThrow(() -> new AssertionError("no case for " + cls));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cuda_oom", "nan_loss", "import_error", "disk_full", "host_oom", "shm_exhausted", "nccl_error",
            "gpu_hardware", "cuda_device_assert", "cuda_unavailable", "file_not_found", "network_error", "code_bug"})
    void aLiveRunNamesTheSameFailureAsReplay(String cls) throws Exception {
        Path log = firstCase(cls);
        int exit = Evaluation.exitCode(log, cls);
        Failure replayed = new Replayer(Fixtures.defaultCatalog(), rules, FixRegistry.standard())
                .replay(log, exit, null, Context.unknown(), 64 * 1024).root();
        assertNotNull(replayed, log + " replays to no failure");
        assertEquals(cls, replayed.getId(), "replay of " + log);

        Harness h = new Harness(tmp);
        h.dryRun = true;
        h.maxAttempts = 1;
        Path printer = h.script("print_log.py", PRINTER);
        RunResult r = h.run("python3", printer.toString(), log.toString(), Integer.toString(exit));
        List<JsonNode> roots = Harness.events(r, "failure").stream().filter(f -> f.path("root").asBoolean()).toList();
        assertEquals(1, roots.size(), "one root failure in " + Harness.journal(r));
        // host_oom's case only says a DataLoader worker was killed: live, where the system recorded no
        // out-of-memory kill (this printer killed nothing), that is `killed`; a replay keeps host_oom
        String live = cls.equals("host_oom") ? "killed" : replayed.getId();
        assertEquals(live, roots.get(0).path("failure").asText(), "live run of " + log);
        assertEquals(RunStatus.DRY_RUN, r.status());
    }

    @Test
    void nanOutputStopsALiveAttemptEarly() throws Exception {
        Harness h = new Harness(tmp);
        h.maxAttempts = 1;
        h.killGrace = Duration.ofSeconds(2);
        Path s = h.script("diverge.py", """
                import time
                step = 0
                while True:
                    step += 1
                    loss = 'nan' if step > 20 else f'{2.0 / step:.4f}'
                    print(f"{{'loss': {loss}, 'grad_norm': 1.0, 'learning_rate': 5e-05, 'epoch': {step / 1000:.3f}}}", flush=True)
                    time.sleep(0.01)
                """);
        long t0 = System.nanoTime();
        RunResult r = h.run("python3", s.toString());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "the diverged run was stopped, not left running");
        JsonNode stopping = Harness.events(r, "attempt_stopping").get(0);
        assertEquals("nan_loss", stopping.path("failure").asText());
        JsonNode root = Harness.events(r, "failure").get(0);
        assertEquals("nan_loss", root.path("failure").asText());
        assertTrue(root.path("matches").asInt() >= 3);
        assertEquals("nan_loss", Harness.events(r, "attempt_finished").get(0).path("stopped_for").asText());
    }
}
