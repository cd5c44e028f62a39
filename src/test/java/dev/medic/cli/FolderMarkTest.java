package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Processes;
import dev.medic.facts.RunSpec;
import dev.medic.journal.JournalLines;
import dev.medic.supervise.RunState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Medic resumes, writes into and removes only folders that carry its mark: a run's journal, a sweep's medic-sweep.json. */
@Tag("fault")
class FolderMarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(45));

    @TempDir
    Path tmp;

    private static void oneLine(InProcess r) {
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("medic: "), r.err());
    }

    private static Path aged(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(LONG_AGO));
        return file;
    }

    @Test
    void sweepResumeRefusesAFolderMedicDidNotMake() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("sweep.csv"), "lr,accuracy\n0.1,0.93\n");
        Files.writeString(project.resolve("results.txt"), "mine\n");
        for (String resume : List.of(project.toString(), "project")) {
            InProcess r = InProcess.run("sweep", "--resume", resume, "--sweep-dir", tmp.toString(), "--grid", "x=1", "--", "true");
            oneLine(r);
            assertTrue(r.err().contains("is not a medic sweep folder"), r.err());
        }
        assertEquals("lr,accuracy\n0.1,0.93\n", Files.readString(project.resolve("sweep.csv")));
        try (var l = Files.list(project)) {
            assertEquals(List.of("results.txt", "sweep.csv"), l.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aStrayDetachedFolderVariableNeverMakesARunWriteIntoAFolder() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("journal.jsonl"), "my own notes\n");
        MedicProcess m = MedicProcess.start(tmp, Map.of("MEDIC_DETACHED_RUN_FOLDER", project.toString()), "run", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor(), m.err());
        assertTrue(m.err().contains("MEDIC_DETACHED_RUN_FOLDER names " + project + ", which is not a folder medic just made"), m.err());
        assertEquals("my own notes\n", Files.readString(project.resolve("journal.jsonl")));
        try (var l = Files.list(project)) {
            assertEquals(1, l.count(), "nothing was added");
        }
    }

    @Test
    void gcRemovesOnlyFoldersThatCarryTheMark() throws Exception {
        Path experiments = Files.createDirectories(tmp.resolve("experiments"));
        Path paper = Files.createDirectories(experiments.resolve("paper-results"));
        aged(Files.writeString(paper.resolve("sweep.csv"), "trial,status\n1,succeeded\n"));
        aged(Files.writeString(paper.resolve("results.txt"), "table 2\n"));
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        Path notARun = Files.createDirectories(runs.resolve("notes"));
        Files.writeString(notARun.resolve("journal.jsonl"), "{\"ts\":\"" + LONG_AGO + "\",\"event\":\"run_finished\"}\n");

        InProcess r = InProcess.run("gc", "--older-than", "30d", "--run-dir", runs.toString(), "--sweep-dir", experiments.toString(), "--json");
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        JsonNode out = JSON.readTree(r.out());
        assertEquals(0, out.path("count").asInt(), r.out());
        assertTrue(Files.isRegularFile(paper.resolve("results.txt")), "a folder without medic's mark stays");
        assertTrue(Files.isRegularFile(notARun.resolve("journal.jsonl")), "a journal medic did not write is no mark");
        assertTrue(r.out().contains("not a medic sweep folder"), r.out());
        assertTrue(r.out().contains("not a medic run folder"), r.out());
    }

    @Test
    void aNewSweepIsMarkedFromItsStartAndCanBeResumedAndCollected() throws Exception {
        Path sweeps = tmp.resolve("sweeps");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "x=1", "--sweep-dir", "sweeps", "--", "sleep", "4");
        Path[] sweep = new Path[1];
        try {
            Processes.waitFor(() -> {
                if (!Files.isDirectory(sweeps)) {
                    return false;
                }
                try (var l = Files.list(sweeps)) {
                    sweep[0] = l.findFirst().orElse(null);
                }
                if (sweep[0] == null || !Files.isDirectory(sweep[0].resolve("trials"))) {
                    return false;
                }
                try (var t = Files.list(sweep[0].resolve("trials"))) {
                    return t.findAny().isPresent();
                }
            }, "the first trial starts");
            assertFalse(Files.exists(sweep[0].resolve("sweep.jsonl")), "no trial has finished yet");
            JsonNode mark = JSON.readTree(sweep[0].resolve("medic-sweep.json").toFile());
            assertEquals(1, mark.path("format").asInt(), mark.toString());
            assertEquals(sweep[0].getFileName().toString(), mark.path("sweep_id").asText(), mark.toString());
        } finally {
            assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        }

        String id = sweep[0].getFileName().toString();
        InProcess resumed = InProcess.run("sweep", "--resume", id, "--sweep-dir", sweeps.toString(), "--grid", "x=1", "--", "true");
        assertEquals(ExitCodes.SUCCESS, resumed.exitCode(), resumed.err());
        InProcess gc = InProcess.run("gc", "--older-than", "0", "--run-dir", tmp.resolve("runs").toString(), "--sweep-dir", sweeps.toString());
        assertTrue(gc.out().contains("removed sweep " + sweep[0]), gc.out());
        assertFalse(Files.exists(sweep[0]));
    }

    @Test
    void anOlderSweepIsKnownByItsTrialRunsAndGetsTheMarkWhenResumed() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweeps").resolve("20260101-000000-1111"));
        Path trial = Files.createDirectories(sweep.resolve("trials").resolve("20260101-000001-0001"));
        Files.writeString(trial.resolve("journal.jsonl"), oldJournal(List.of("true"), "succeeded"));
        Files.writeString(sweep.resolve("sweep.jsonl"), "{\"trial\":1,\"params\":{\"x\":\"1\"},\"status\":\"succeeded\",\"run_id\":\"20260101-000001-0001\"}\n");
        InProcess r = InProcess.run("sweep", "--resume", sweep.getFileName().toString(), "--sweep-dir", tmp.resolve("sweeps").toString(),
                "--grid", "x=1,2", "--", "true");
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.err().contains("1 succeeded before"), r.err());
        assertEquals(1, JSON.readTree(sweep.resolve("medic-sweep.json").toFile()).path("format").asInt());
    }

    @Test
    void aRunJournalCarriesItsFormatAndAnOlderOneStillResumes() throws Exception {
        Path runs = tmp.resolve("runs");
        InProcess fresh = InProcess.run("run", "--run-dir", runs.toString(), "--", "true");
        assertEquals(ExitCodes.SUCCESS, fresh.exitCode(), fresh.err());
        Path made;
        try (var l = Files.list(runs)) {
            made = l.findFirst().orElseThrow();
        }
        JsonNode first = JournalLines.read(made.resolve("journal.jsonl")).get(0);
        assertEquals("run_started", first.path("event").asText());
        assertEquals(1, first.path("format").asInt(), first.toString());

        Path old = Files.createDirectories(runs.resolve("20250101-000000-0001"));
        Files.writeString(old.resolve("journal.jsonl"), oldJournal(List.of("true"), "failed"));
        // read as medic --resume reads it (a full resume also stops every orphaned attempt on this machine: not in a shared test run)
        RunState state = RunState.read(old).requireResumable(5);
        assertEquals(List.of("true"), state.nextSpec(new RunSpec(List.of("(resumed)"), Map.of(), tmp)).getArgv());
        assertEquals(1, state.lastAttempt());

        Path newer = Files.createDirectories(runs.resolve("20250101-000000-0002"));
        Files.writeString(newer.resolve("journal.jsonl"), oldJournal(List.of("true"), "failed")
                .replaceFirst("\"event\":\"run_started\",", "\"event\":\"run_started\",\"format\":99,"));
        InProcess refused = InProcess.run("run", "--resume", newer.toString());
        oneLine(refused);
        assertTrue(refused.err().contains("format 99"), refused.err());
        assertFalse(Files.exists(newer.resolve("attempt-2.log")));
    }

    /** A journal as medic 0.1.0 wrote it before the format version: run_started first, then one failed attempt. */
    private String oldJournal(List<String> argv, String status) throws Exception {
        String args = JSON.writeValueAsString(argv);
        return String.join("\n",
                "{\"ts\":\"" + LONG_AGO + "\",\"event\":\"run_started\",\"attempt\":0,\"argv\":" + args + ",\"cwd\":"
                        + JSON.writeValueAsString(tmp.toString()) + ",\"medic_version\":\"0.1.0\",\"backend\":\"local\"}",
                "{\"ts\":\"" + LONG_AGO + "\",\"event\":\"attempt_started\",\"attempt\":1,\"argv\":" + args + "}",
                "{\"ts\":\"" + LONG_AGO + "\",\"event\":\"attempt_finished\",\"attempt\":1,\"exit_code\":" + (status.equals("failed") ? 1 : 0) + "}",
                "{\"ts\":\"" + LONG_AGO + "\",\"event\":\"run_finished\",\"attempt\":1,\"status\":\"" + status + "\"}") + "\n";
    }
}
