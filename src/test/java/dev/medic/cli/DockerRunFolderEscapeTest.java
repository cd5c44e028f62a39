package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container escape through the run folder, with a real engine: the working directory (which
 * holds the default {@code .medic/runs}) is mounted into the container, whose process plants
 * {@code attempt-2.log} as a link to a host file the container cannot see and exits 1. Medic
 * must not append the next attempt's output to that file.
 */
@Tag("fault")
class DockerRunFolderEscapeTest {
    @TempDir
    Path tmp;

    @Test
    void aContainerCannotMakeMedicWriteAHostFileThroughItsRunFolder() throws Exception {
        String image = dev.medic.backend.docker.DockerTestSupport.requireEngine();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path hostFile = Files.createDirectories(tmp.resolve("host")).resolve("passwd");
        Files.writeString(hostFile, RunFolderLinkTest.HOST_TEXT);
        // the link's text is the host's path: the container cannot see the file, only name it
        String script = RunFolderLinkTest.firstAttemptPlants(RunFolderLinkTest.link(hostFile, ".medic/runs", "attempt-2.log"),
                RunFolderLinkTest.RETRYABLE);
        MedicProcess m = MedicProcess.start(work, Map.of(), "run", "-q", "--backoff", "0s", "--backend", "docker",
                "--image", image, "-v", work + ":/w", "--workdir", "/w", "--", "sh", "-c", script, "sh", "--batch-size", "64");
        int code = m.waitFor();
        assertEquals(RunFolderLinkTest.HOST_TEXT, Files.readString(hostFile), "the host file is unchanged");
        assertEquals(ExitCodes.RUN_FAILED, code, m.err());
        Path run = RunFolderLinkTest.onlyChild(work.resolve(".medic/runs"));
        assertTrue(Files.isSymbolicLink(run.resolve("attempt-2.log")), "the container did plant the link");
        RunFolderLinkTest.refusedInOneLine(m.err(), Path.of(".medic/runs").resolve(run.getFileName()).resolve("attempt-2.log"));
        List<JsonNode> journal = RunFolderLinkTest.wholeJournal(run);
        assertEquals(1, journal.stream().filter(r -> r.path("event").asText().equals("attempt_started")).count(),
                "no second container was started");
        assertEquals(List.of(), dev.medic.backend.docker.DockerTestSupport.containersOf(run.getFileName().toString()));
    }
}
