package dev.medic.logs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An attempt's output file. Lines from both streams are appended whole, as they arrive, so the
 * file holds every byte the run wrote (interleaved at line boundaries) and each line gets the
 * number it has in the file. It is opened for appending and never truncated.
 */
public final class AttemptLog implements AutoCloseable {
    private final Path path;
    private final OutputStream out;
    private long lines;
    private long bytes;

    public AttemptLog(Path path) throws IOException {
        this.path = path;
        this.out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
    }

    public Path path() {
        return path;
    }

    /** Appends one whole line (terminator included) and returns its 1-based line number. */
    public synchronized long append(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        bytes += len;
        return ++lines;
    }

    /** Hands what was appended to the operating system, so readers (and a killed medic) see it. */
    public synchronized void flush() throws IOException {
        out.flush();
    }

    public synchronized long lines() {
        return lines;
    }

    public synchronized long bytes() {
        return bytes;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
