package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.journal.RunStatus;
import dev.medic.util.ByteSizes;
import dev.medic.util.SourceLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catalog or rule file over the size limit, dropped in mid-run, is refused before it is parsed:
 * the previous set stays, the journal says why, and the next attempt starts without a pause.
 */
@Tag("fault")
class SourceSizeLimitTest {
    /** A valid catalog file whose one long quoted scalar takes the YAML parser seconds (quadratic). */
    private static final String BIG_CATALOG = """
            import sys
            with open(sys.argv[1], 'w') as f:
                f.write('failures:\\n  - id: zz_big\\n    description: "' + 'x' * (3 << 20) + '"\\n'
                        '    signatures:\\n      - pattern: zz big failure\\n    ladder: [escalate]\\n')
            """;
    private static final String BIG_RULES = """
            import sys
            with open(sys.argv[1], 'w') as f:
                f.write('package medic.rules;\\n// ' + 'x' * (3 << 20) + '\\n')
            """;

    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(tmp);
        h.rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
        h.catalog = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
    }

    @Test
    void anOversizedCatalogFileMidRunKeepsThePreviousCatalog() throws Exception {
        Path big = h.catalog.resolve("zz-big.yaml");
        RunResult r = runDroppingMidRun(BIG_CATALOG, big);
        assertEquals(SourceLocation.display(big) + ": " + ByteSizes.format(Files.size(big)) + " is over the 1M limit for a catalog file; keeping the previous catalog",
                warning(r));
        assertQuickSecondAttempt(r);
    }

    @Test
    void anOversizedRuleFileMidRunKeepsThePreviousRules() throws Exception {
        Path big = h.rules.resolve("zz-big.drl");
        RunResult r = runDroppingMidRun(BIG_RULES, big);
        assertEquals(SourceLocation.display(big) + ": " + ByteSizes.format(Files.size(big)) + " is over the 1M limit for a rules file; keeping the previous rules",
                warning(r));
        assertQuickSecondAttempt(r);
    }

    /** Attempt 1 writes {@code target} and fails with a GPU OOM; attempt 2 (half the batch) succeeds. */
    private RunResult runDroppingMidRun(String writer, Path target) throws Exception {
        Path w = h.script("write_big.py", writer);
        Path s = h.script("oom_once.py", """
                import subprocess, sys
                writer, target, batch = sys.argv[1], sys.argv[2], sys.argv[4]
                if batch == '1024':
                    subprocess.run([sys.executable, writer, target], check=True)
                    sys.stderr.write('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\\n')
                    sys.exit(1)
                print('done')
                """);
        RunResult r = h.run("python3", s.toString(), w.toString(), target.toString(), "--batch-size", "1024");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        return r;
    }

    private static String warning(RunResult r) throws Exception {
        List<JsonNode> warnings = Harness.events(r, "warning");
        assertEquals(1, warnings.size(), warnings.toString());
        return warnings.get(0).path("message").asText();
    }

    /** Refused by its size, not parsed: the file costs no time between the attempts. */
    private static void assertQuickSecondAttempt(RunResult r) throws Exception {
        Instant end1 = Instant.parse(Harness.events(r, "attempt_finished").get(0).path("ts").asText());
        Instant start2 = Instant.parse(Harness.events(r, "attempt_started").get(1).path("ts").asText());
        Duration gap = Duration.between(end1, start2);
        assertTrue(gap.compareTo(Duration.ofSeconds(2)) < 0, "gap between the attempts: " + gap);
    }
}
