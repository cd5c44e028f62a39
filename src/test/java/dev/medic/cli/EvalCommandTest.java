package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static InProcess eval(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "eval";
        all[1] = "--rules";
        all[2] = Fixtures.rulesDir().toString();
        all[3] = "--catalog";
        all[4] = Fixtures.catalogDir().toString();
        System.arraycopy(args, 0, all, 5, args.length);
        return InProcess.run(all);
    }

    @Test
    void theSharedCorpusIsFullyRight() throws Exception {
        InProcess r = eval("--json", "--min-accuracy", "1.0", Fixtures.shared("corpus").toString());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), j.path("misses").toString());
        assertEquals(1.0, j.path("accuracy").asDouble(), j.path("misses").toString());
        assertEquals(j.path("total").asInt(), j.path("correct").asInt());
        assertEquals(0, j.path("healthy_false_positives").asInt());
        assertTrue(j.path("total").asInt() >= 50);
    }

    @Test
    void theProjectsOwnCasesAreFullyRight() throws Exception {
        Path cases = Fixtures.projectDir().resolve("src/test/resources/cases");
        InProcess r = eval("--json", cases.toString());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertEquals(0, j.path("misses").size(), j.path("misses").toPrettyString());
        assertTrue(j.path("classes").size() >= 14, "every class has cases: " + j.path("classes"));
    }

    /** Real logs from public threads, collected before the structural reading (src/test/resources/unseen/README.md). */
    @Test
    void theUnseenBatchIsFullyRightAndTheStructureIsWhatGetsItThere() throws Exception {
        Path unseen = Fixtures.projectDir().resolve("src/test/resources/unseen");
        JsonNode all = JSON.readTree(eval("--json", unseen.toString()).out());
        assertEquals(0, all.path("misses").size(), all.path("misses").toPrettyString());
        assertTrue(all.path("total").asInt() >= 60);
        assertEquals(0, all.path("healthy_false_positives").asInt());

        JsonNode second = JSON.readTree(eval("--json", unseen.resolveSibling("unseen-2").toString()).out());
        assertEquals(0, second.path("misses").size(), second.path("misses").toPrettyString());
        assertTrue(second.path("total").asInt() >= 40);

        InProcess literal = eval("--json", "--no-structure", unseen.toString());
        JsonNode j = JSON.readTree(literal.out());
        assertEquals(ExitCodes.SUCCESS, literal.exitCode(), literal.err());
        assertTrue(j.path("correct").asInt() < all.path("correct").asInt(), "the words alone miss some: " + j.path("accuracy"));
        String missed = j.path("misses").toString();
        // a TimeoutError raised inside ssl.py, an errno 28 raised by a library that writes to /dev/shm
        assertTrue(missed.contains("kohya-lora-training-hf-download-read-timeout"), missed);
        assertTrue(missed.contains("opensora-pandarallel-memory-fs-errno28"), missed);
    }

    @Test
    void missesAreListedAndMinAccuracyFailsTheCommand() throws Exception {
        Files.createDirectories(tmp.resolve("cuda_oom"));
        Files.createDirectories(tmp.resolve("healthy"));
        Files.writeString(tmp.resolve("cuda_oom/right.log"), "x\nRuntimeError: CUDA out of memory. Tried to allocate 1 GiB\n");
        Files.writeString(tmp.resolve("cuda_oom/wrong.log"), "epoch 1 done\n");
        Files.writeString(tmp.resolve("cuda_oom/wrong.exit"), "0\n");
        Files.writeString(tmp.resolve("healthy/ok.log"), "step 1 loss 0.5\ndone\n");
        InProcess r = eval("--json", "--min-accuracy", "0.9", tmp.toString());
        assertEquals(ExitCodes.RUN_FAILED, r.exitCode());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(3, j.path("total").asInt());
        assertEquals(2, j.path("correct").asInt());
        assertEquals(2.0 / 3, j.path("accuracy").asDouble(), 1e-9);
        JsonNode miss = j.path("misses").get(0);
        assertEquals("cuda_oom/wrong.log", miss.path("log").asText());
        assertEquals("healthy", miss.path("got").asText());
        assertEquals(0, miss.path("exit_code").asInt(), "the .exit file is used");
        assertEquals(1, j.path("confusion").path("cuda_oom").path("healthy").asInt());
        assertEquals(0.5, j.path("classes").path("cuda_oom").path("recall").asDouble(), 1e-9);
        assertEquals(0.5, j.path("classes").path("healthy").path("precision").asDouble(), 1e-9);

        InProcess text = eval(tmp.toString());
        assertEquals(ExitCodes.SUCCESS, text.exitCode());
        assertTrue(text.out().contains("accuracy: 0.667 (2 of 3 root causes right)"), text.out());
        assertTrue(text.out().contains("miss: cuda_oom/wrong.log: expected cuda_oom, got healthy"), text.out());
    }

    @Test
    void aFolderWithNoLogsIsBadInput() {
        InProcess r = eval(tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().startsWith("medic: ") && r.err().contains("no <class>/<slug>.log files"), r.err());
    }

    @Test
    void inputsAreChecked() throws Exception {
        Files.createDirectories(tmp.resolve("cuda_oomm"));
        Files.writeString(tmp.resolve("cuda_oomm/x.log"), "x\n");
        InProcess typo = eval(tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, typo.exitCode());
        assertTrue(typo.err().contains("'cuda_oomm' is not a failure id of the catalog"), typo.err());
        InProcess range = eval("--min-accuracy", "1.5", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, range.exitCode());
        assertTrue(range.err().contains("--min-accuracy must be from 0 to 1"), range.err());
    }
}
