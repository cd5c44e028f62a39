package dev.medic.supervise;

import dev.medic.MedicException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** {@code <run-dir>/<run-id>/}: the attempt logs and the journal of one run. */
public final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String runId;
    private final Path dir;

    private RunFolder(String runId, Path dir) {
        this.runId = runId;
        this.dir = dir;
    }

    /** Creates a new, uniquely named run folder under {@code runsDir}. */
    public static RunFolder create(Path runsDir) {
        try {
            Files.createDirectories(runsDir);
            for (int i = 0; i < 100; i++) {
                String id = LocalDateTime.now().format(STAMP) + "-" + String.format("%04x", RANDOM.nextInt(0x10000));
                Path d = runsDir.resolve(id);
                try {
                    Files.createDirectory(d);
                    return new RunFolder(id, d);
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    // another run got this id in the same second: draw again
                }
            }
            throw new IOException("no free run id");
        } catch (IOException e) {
            throw MedicException.badInput("cannot create a run folder under " + runsDir + ": " + e.getMessage());
        }
    }

    /** An existing run folder (to resume, or made by a detached run's parent). */
    public static RunFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw MedicException.badInput("no run folder " + dir);
        }
        return new RunFolder(dir.getFileName().toString(), dir);
    }

    public String runId() {
        return runId;
    }

    public Path dir() {
        return dir;
    }

    public Path attemptLog(int attempt) {
        return dir.resolve("attempt-" + attempt + ".log");
    }

    /** How far attempt N's log got, kept while it runs so a supervisor that takes the attempt up goes on from there. */
    public Path attemptState(int attempt) {
        return dir.resolve("attempt-" + attempt + ".state");
    }

    public Path journal() {
        return dir.resolve("journal.jsonl");
    }
}
