package dev.medic.backend.slurm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The Slurm client commands: a controller that does not answer must not hang medic. */
class SlurmClientTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("fault")
    void aClientThatHangsIsCutOffAtItsLimit() throws Exception {
        Path fake = tmp.resolve("scontrol");
        Files.writeString(fake, "#!/bin/sh\necho 'waiting for the controller'\nexec sleep 60\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = Map.of("PATH", tmp + ":/usr/bin:/bin");
        Slurm.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Slurm.run(env, 1, List.of("scontrol", "show", "job", "-o", "1")));
        assertEquals(-1, r.exitCode());
        assertEquals("scontrol did not answer within 1 s", r.out());
    }

    @Test
    void aClientsAnswerAndExitCodeComeBack() {
        Slurm.Result r = Slurm.run(Map.of("PATH", "/usr/bin:/bin"), 10, List.of("sh", "-c", "echo 'Submitted 42'; exit 3"));
        assertEquals(3, r.exitCode());
        assertEquals("Submitted 42", r.out());
    }
}
