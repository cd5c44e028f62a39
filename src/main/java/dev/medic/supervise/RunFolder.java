package dev.medic.supervise;

import dev.medic.MedicException;
import dev.medic.util.PrivateFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code <run-dir>/<run-id>/}: the attempt logs and the journal of one run. The folder is private
 * (0700) and everything medic writes in it goes through {@link #files()}, which refuses links.
 */
public final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final String runId;
    private final PrivateFolder files;

    private RunFolder(String runId, PrivateFolder files) {
        this.runId = runId;
        this.files = files;
    }

    /** Creates a new, uniquely named run folder under {@code runsDir}. */
    public static RunFolder create(Path runsDir) {
        PrivateFolder f = createUnique(runsDir, "run", PrivateFolder.RUN_FOLDER);
        return new RunFolder(f.dir().getFileName().toString(), f);
    }

    /**
     * Creates a new private folder named by the time and four random hex digits under {@code parent}:
     * never one that exists, so nothing already there is written into. {@code what} names it in the
     * one-line error (a parent that cannot be written is bad input, exit code 2).
     */
    public static PrivateFolder createUnique(Path parent, String what, String kind) {
        try {
            Files.createDirectories(parent);
            for (int i = 0; i < 100; i++) {
                // the folder is made exclusively, so the digits need not be unguessable: no SecureRandom,
                // whose provider takes milliseconds to set up before a run's child can start
                short digits = (short) ThreadLocalRandom.current().nextInt(0x10000);
                Path d = parent.resolve(LocalDateTime.now().format(STAMP) + "-" + HexFormat.of().toHexDigits(digits));
                try {
                    return PrivateFolder.create(d, kind, true);
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    // another run got this id in the same second: draw again
                }
            }
            throw new IOException("no free " + what + " id");
        } catch (IOException e) {
            throw MedicException.badInput("cannot create a " + what + " folder under " + parent + ": " + e.getMessage());
        }
    }

    /** An existing run folder (to resume, or made by a detached run's parent). */
    public static RunFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw MedicException.badInput("no run folder " + dir);
        }
        try {
            return new RunFolder(dir.getFileName().toString(), PrivateFolder.open(dir, PrivateFolder.RUN_FOLDER));
        } catch (IOException e) {
            throw MedicException.badInput("cannot open the run folder " + dir + ": " + e.getMessage());
        }
    }

    public String runId() {
        return runId;
    }

    public Path dir() {
        return files.dir();
    }

    /** Where medic writes in this folder: never through a link. */
    public PrivateFolder files() {
        return files;
    }

    public Path attemptLog(int attempt) {
        return dir().resolve("attempt-" + attempt + ".log");
    }

    /** How far attempt N's log got, kept while it runs so a supervisor that takes the attempt up goes on from there. */
    public Path attemptState(int attempt) {
        return dir().resolve("attempt-" + attempt + ".state");
    }

    public Path journal() {
        return dir().resolve("journal.jsonl");
    }
}
