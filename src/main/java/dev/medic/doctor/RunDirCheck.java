package dev.medic.doctor;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The run folder can be written (tried with a real file: permission bits say nothing when medic
 * runs as root), and its file system has room. A folder that does not exist yet counts as
 * writable when medic could create it.
 */
public final class RunDirCheck {
    private RunDirCheck() {
    }

    public static Finding writable(Path runDir) {
        Path dir = runDir.toAbsolutePath().normalize();
        Path existing = nearestExisting(dir);
        if (existing == null) {
            return Finding.fail("run-dir", "no part of " + dir + " exists");
        }
        if (!Files.isDirectory(existing)) {
            return Finding.fail("run-dir", existing.equals(dir) ? dir + " is a file, not a folder"
                    : "cannot create " + dir + ": " + existing + " is a file, not a folder");
        }
        try {
            Files.delete(Files.createTempFile(existing, ".medic-doctor-", ".tmp"));
        } catch (IOException e) {
            String why = existing + " is not writable (" + reason(e) + ")";
            return Finding.fail("run-dir", existing.equals(dir) ? why : "cannot create " + dir + ": " + why);
        }
        return Finding.ok("run-dir", existing.equals(dir) ? dir + " is writable"
                : dir + " does not exist yet; medic can create it (" + existing + " is writable)");
    }

    public static Finding freeSpace(Path runDir, long minBytes) {
        Path existing = nearestExisting(runDir.toAbsolutePath().normalize());
        try {
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            long free = store.getUsableSpace();
            String where = size(free) + " free at " + existing;
            if (free < minBytes) {
                return Finding.fail("disk", where + ", less than --min-free-space " + size(minBytes));
            }
            return Finding.ok("disk", where + " (at least " + size(minBytes) + " wanted)");
        } catch (IOException e) {
            return Finding.fail("disk", "cannot read the free space at " + existing + ": " + reason(e));
        }
    }

    private static Path nearestExisting(Path p) {
        Path at = p;
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        return at;
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return String.valueOf(e.getMessage());
    }
}
