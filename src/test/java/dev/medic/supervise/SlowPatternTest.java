package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A catalog pattern that backtracks without end gives up on the line; the run goes on and the journal says why. */
class SlowPatternTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("fault")
    void aCatastrophicPatternDoesNotStallTheRun() throws Exception {
        Path catalog = Fixtures.catalogWithSlowPattern(tmp);
        Harness h = new Harness(tmp);
        h.catalog = catalog;
        Path s = h.script("train.py", """
                for i in range(3):
                    print('x' * 40 + 'yz', flush=True)
                print('done', flush=True)
                """);
        RunResult r = h.run("python3", s.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        List<JsonNode> warnings = Harness.events(r, "warning");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).path("message").asText().startsWith(
                "catalog pattern slow_pattern.signatures[0] gave up on 3 line(s) (the last 42 characters long)"), warnings.toString());
        assertEquals(4, Files.readAllLines(r.runDir().resolve("attempt-1.log")).size(), "every line is still in the log");
    }
}
