package dev.medic.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Where a local attempt writes its output and exit status: a private folder under the temporary
 * folder holding {@code stdout} and {@code stderr} (the child's own descriptors, opened for
 * appending), {@code exit} and {@code child} (the command's process id). Files, not pipes: the
 * child never waits for medic or dies with it. It lives outside the run folder so the output never competes with the attempt log for the run
 * folder's disk; medic frees what it has saved ({@link #reclaim}) and removes it once the
 * attempt's end is journaled.
 */
final class Spool {
    static final String PREFIX = "medic-spool-";

    private final Path dir;
    /** False once punching holes failed (no fallocate, a file system without holes): the spool then keeps everything. */
    private volatile boolean reclaims = true;

    private Spool(Path dir) {
        this.dir = dir;
    }

    static Spool create() throws IOException {
        Path dir = Files.createTempDirectory(PREFIX);
        for (String name : new String[] {"stdout", "stderr"}) {
            Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return new Spool(dir);
    }

    /** The spool a journal names, or null when it is gone or is not a spool folder. */
    static Spool existing(String dir) {
        if (dir == null || dir.isEmpty()) {
            return null;
        }
        Path p = Path.of(dir);
        // only a spool this medic could have made: a folder of that name right in the temporary folder
        if (p.getFileName() == null || !p.getFileName().toString().startsWith(PREFIX)
                || !Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize().equals(p.toAbsolutePath().normalize().getParent())
                || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(p.resolve("stdout"), LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(p.resolve("stderr"), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return new Spool(p);
    }

    Path dir() {
        return dir;
    }

    Path stream(String name) {
        return dir.resolve(name);
    }

    Path exitFile() {
        return dir.resolve("exit");
    }

    /** Where the launcher writes the process id of the command it runs (see {@link LocalBackend#LAUNCHER}). */
    Path childPidFile() {
        return dir.resolve("child");
    }

    /** The exit status the launcher recorded, or null while there is none (running, or the launcher was killed). */
    Integer exitCode() {
        try {
            String s = Files.readString(exitFile(), StandardCharsets.US_ASCII);
            return s.endsWith("\n") ? Integer.valueOf(s.strip()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** When output last reached the spool (epoch ms), or 0 when none has. */
    long lastWriteMillis() {
        long last = 0;
        for (String name : new String[] {"stdout", "stderr"}) {
            try {
                if (Files.size(stream(name)) > 0) {
                    last = Math.max(last, Files.getLastModifiedTime(stream(name)).toMillis());
                }
            } catch (IOException e) {
                // gone: nothing written that can be seen
            }
        }
        return last;
    }

    /**
     * Frees the disk blocks of the first {@code bytes} of a stream (they are saved in the attempt
     * log): the file keeps its length and the child keeps appending, so disk use stays the
     * unsaved backlog. Needs util-linux fallocate and a file system with holes; without them the
     * spool keeps everything until the attempt ends.
     */
    void reclaim(String stream, long bytes) throws InterruptedException {
        long length = bytes & ~4095L;
        if (!reclaims || length <= 0) {
            return;
        }
        try {
            Process p = new ProcessBuilder("fallocate", "--punch-hole", "--offset", "0", "--length", Long.toString(length),
                    stream(stream).toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                reclaims = false;
            }
        } catch (IOException e) {
            reclaims = false;
        }
    }

    void delete() {
        for (String name : new String[] {"stdout", "stderr", "exit", "child"}) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                // left in the temporary folder
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left in the temporary folder
        }
    }
}
