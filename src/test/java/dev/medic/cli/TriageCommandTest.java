package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.facts.Signature;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceLocation;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * medic triage over run folders the real supervisor made: two runs with the same code bug but
 * different numbers and paths, another code bug, an unrecognised exit retried once, a silent exit,
 * a real code_bug log replayed through a run, a sweep trial, and a run that succeeded.
 */
class TriageCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAT1 = "cases/code_bug/mat1-mat2-shapes-cannot-be-multiplied.log";

    @TempDir
    static Path tmp;
    static Path runs;
    static Path sweeps;

    @BeforeAll
    static void supervisedRuns() throws Exception {
        runs = tmp.resolve("runs");
        sweeps = tmp.resolve("sweeps");
        run("python3", "-c", "raise RuntimeError('shape [3, 4] mismatch at /tmp/x1')");
        run("python3", "-c", "raise RuntimeError('shape [5, 6] mismatch at /tmp/x2')");
        run("python3", "-c", "raise ValueError('bad label 7')");
        run("sh", "-c", "echo boom; exit 3");
        run("sh", "-c", "exit 4");
        run("sh", "-c", "cat \"$0\"; exit 1", Fixtures.projectDir().resolve("src/test/resources").resolve(MAT1).toString());
        run("true");
        MedicProcess sweep = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "n=8", "--sweep-dir", sweeps.toString(), "--backoff", "0s",
                "--", "python3", "-c", "raise RuntimeError('shape [{n}, 9] mismatch at /tmp/x3')");
        assertEquals(ExitCodes.RUN_FAILED, sweep.waitFor(), sweep.err());
    }

    private static void run(String... command) {
        List<String> args = new ArrayList<>(List.of("run", "-q", "--backoff", "0s", "--run-dir", runs.toString(), "--"));
        args.addAll(List.of(command));
        InProcess r = InProcess.run(args.toArray(String[]::new));
        assertEquals(command[0].equals("true") ? ExitCodes.SUCCESS : ExitCodes.RUN_FAILED, r.exitCode(), r.err());
    }

    private static InProcess triage(Path runDir, String... more) {
        List<String> args = new ArrayList<>(List.of("triage", "--run-dir", runDir.toString(), "--sweep-dir", sweeps.toString(),
                "--catalog", Fixtures.catalogDir().toString()));
        args.addAll(List.of(more));
        return InProcess.run(args.toArray(String[]::new));
    }

    private static JsonNode group(JsonNode groups, String signature) {
        for (JsonNode g : groups) {
            if (g.path("signature").asText().equals(signature)) {
                return g;
            }
        }
        throw new AssertionError("no group " + signature + " in " + groups);
    }

    @Test
    void runsWithTheSameErrorAreOneGroupAndEachDraftLoadsAndFindsItsLines() throws Exception {
        InProcess r = triage(runs, "--json");
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertEquals("", r.err());
        JsonNode out = JSON.readTree(r.out());
        assertEquals(8, out.path("runs_read").asInt(), "7 runs and the sweep's trial");
        JsonNode groups = out.path("groups");
        assertEquals(5, groups.size(), groups.toString());

        JsonNode shape = group(groups, "RuntimeError: shape [<n>, <n>] mismatch at <path>");
        assertEquals(3, shape.path("count").asInt());
        assertEquals(3, shape.path("runs").size());
        assertTrue(shape.path("runs").get(2).asText().contains("/"), "the sweep trial is SWEEP/RUN: " + shape.path("runs"));
        assertEquals("code_bug", shape.path("failures").get(0).asText());
        assertEquals("RuntimeError: shape [8, 9] mismatch at /tmp/x3", shape.path("example").path("line").asText(), "the latest is the example");
        assertEquals("evidence", shape.path("example").path("found_as").asText());
        assertTrue(shape.path("first_seen").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), shape.toString());
        assertTrue(shape.path("first_seen").asText().compareTo(shape.path("last_seen").asText()) <= 0);

        JsonNode boom = group(groups, "boom");
        assertEquals(2, boom.path("count").asInt(), "an unknown retried once is two attempts");
        assertEquals(1, boom.path("runs").size(), "of one run");
        assertEquals("unknown", boom.path("failures").get(0).asText());
        assertEquals("last line", boom.path("example").path("found_as").asText());

        JsonNode silent = group(groups, "(no output) exit code 4");
        assertEquals(2, silent.path("count").asInt());
        assertTrue(silent.path("draft").path("yaml").asText().contains("- exit_codes: [4]"), silent.toString());

        group(groups, "ValueError: bad label <n>");
        JsonNode mat = group(groups, "RuntimeError: mat1 and mat2 shapes cannot be multiplied (<n>x<n> and <n>x<n>)");
        assertEquals("code_bug", mat.path("failures").get(0).asText());

        for (int i = 1; i < groups.size(); i++) {
            JsonNode a = groups.get(i - 1);
            JsonNode b = groups.get(i);
            assertTrue(a.path("count").asInt() > b.path("count").asInt() || a.path("count").asInt() == b.path("count").asInt()
                    && a.path("last_seen").asText().compareTo(b.path("last_seen").asText()) >= 0, "most frequent, then latest: " + groups);
        }
        for (JsonNode g : groups) {
            assertDraftLoadsAndFinds(g);
        }
    }

    /** The draft loads beside the shipped catalog (as a file of its own) and its signature finds every line of its group. */
    private static void assertDraftLoadsAndFinds(JsonNode g) {
        JsonNode draft = g.path("draft");
        assertTrue(draft.path("problem").isNull(), draft.toString());
        SourceSet shipped = SourceLocation.find("catalog", ".yaml", Fixtures.catalogDir(), Map.of(), null).read();
        List<SourceFile> files = new ArrayList<>(shipped.files());
        files.add(new SourceFile("catalog/drafted.yaml", "drafted.yaml", draft.path("yaml").asText()));
        Catalog c = new CatalogLoader().load(new SourceSet(shipped.origin(), shipped.how(), files));
        assertNotNull(c.entry(draft.path("id").asText()), draft.toString());
        Signature s = c.entry(draft.path("id").asText()).getSignatures().get(0);
        if (!s.hasPattern()) {
            return;
        }
        for (JsonNode o : g.path("occurrences")) {
            assertTrue(s.matchesText(o.path("line").asText()), s.getPattern() + " / " + o.path("line").asText());
        }
    }

    @Test
    void theTextListsEachGroupWithItsRunsExampleAndDraft() {
        InProcess r = triage(runs);
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("5 group(s) from 9 failed attempt(s) in 7 run(s) (8 runs read under "), out);
        assertTrue(out.contains("3 attempt(s) in 3 run(s), code_bug; first seen 20"), out);
        assertTrue(out.contains("   signature: RuntimeError: shape [<n>, <n>] mismatch at <path>\n"), out);
        assertTrue(out.contains("       - id: runtime_error_shape_mismatch_at\n"), out);
        assertTrue(out.contains("           - pattern: 'RuntimeError: shape \\[\\d+, \\d+\\] mismatch at \\S+'\n"), out);
        assertTrue(out.contains("example (last line, "), out);
    }

    @Test
    void aDamagedJournalLineIsSkippedWithAWarning() throws Exception {
        Path copy = tmp.resolve("damaged");
        Files.createDirectories(copy);
        Path first;
        try (Stream<Path> s = Files.list(runs)) {
            first = s.sorted().findFirst().orElseThrow();
        }
        Path run = copy.resolve(first.getFileName());
        Files.createDirectories(run);
        try (Stream<Path> s = Files.list(first)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Files.copy(f, run.resolve(f.getFileName()));
            }
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(run.resolve("journal.jsonl")));
        lines.add(2, "{\"ts\": not json");
        Files.write(run.resolve("journal.jsonl"), lines);
        Files.writeString(run.resolve("journal.jsonl"), "{\"event\":\"run_fin", StandardOpenOption.APPEND);
        InProcess r = triage(copy);
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.err().contains("journal.jsonl: line 3 is not a JSON record; skipped"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.out().contains("RuntimeError: shape [<n>, <n>] mismatch at <path>"), r.out());
    }

    @Test
    void noRunsOrNoFailuresIsOneLineAndSuccess() throws Exception {
        InProcess none = InProcess.run("triage", "--run-dir", tmp.resolve("nothing").toString(), "--sweep-dir", tmp.resolve("nothing").toString());
        assertEquals(ExitCodes.SUCCESS, none.exitCode(), none.err());
        assertEquals(1, none.out().lines().count(), none.out());
        assertTrue(none.out().startsWith("no runs under "), none.out());

        // real GPU runs: OOMs fixed by the ladder, a NaN escalated, a device assert: none the catalog lacks a name for
        Path gpuRuns = Fixtures.shared("fixtures/gpu-runs");
        InProcess known = InProcess.run("triage", "--run-dir", gpuRuns.toString(), "--sweep-dir", tmp.resolve("nothing").toString());
        assertEquals(ExitCodes.SUCCESS, known.exitCode(), known.err());
        assertEquals("", known.err());
        assertEquals(1, known.out().lines().count(), known.out());
        assertTrue(known.out().startsWith("nothing to triage: no unknown, killed or code_bug failure"), known.out());

        InProcess json = InProcess.run("triage", "--json", "--run-dir", tmp.resolve("nothing").toString());
        assertEquals(0, JSON.readTree(json.out()).path("groups").size());
    }

    @Test
    void aCatalogThatDoesNotExistIsBadInput() {
        InProcess r = InProcess.run("triage", "--run-dir", runs.toString(), "--catalog", tmp.resolve("no-catalog").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("medic: --catalog: "), r.err());
    }
}
