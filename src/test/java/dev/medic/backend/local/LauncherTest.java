package dev.medic.backend.local;

import dev.medic.backend.AttemptTag;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunningAttempt;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LauncherTest {
    @TempDir
    Path tmp;

    private static final OutputSink NOWHERE = new OutputSink() {
        @Override
        public void bytes(String stream, byte[] b, int off, int len) {
        }

        @Override
        public void closed(String stream) {
        }

        @Override
        public void exited() {
        }
    };

    @Test
    void theLauncherWritesTheProcessIdOfTheCommandItRuns() throws Exception {
        RunningAttempt a = new LocalBackend().start(new RunSpec(List.of("sleep", "5"), System.getenv(), tmp),
                new AttemptTag("launcher-test", 1, tmp), NOWHERE);
        try {
            Path childFile = Path.of(a.adoptionFields().get("spool").toString(), "child");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.exists(childFile) || Files.readString(childFile).isBlank()) {
                assertTrue(System.nanoTime() < deadline, "no child pid written");
                Thread.sleep(20);
            }
            long child = Long.parseLong(Files.readString(childFile).strip());
            // the launcher's only child, and the command itself (exec'd: no extra process between)
            assertEquals(List.of(child), ProcessHandle.of(a.pid()).orElseThrow().children().map(ProcessHandle::pid).toList());
            Thread.sleep(100);
            assertEquals("sleep", Files.readString(Path.of("/proc", Long.toString(child), "comm")).strip());
        } finally {
            a.stop(Duration.ofSeconds(1));
            a.journaled();
        }
    }
}
