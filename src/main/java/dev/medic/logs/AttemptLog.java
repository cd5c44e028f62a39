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
    /** The stream whose line is half written (a piece of a long line), or null. */
    private String openLine;
    /** How long another stream waits for a half-written line to end before writing anyway. */
    private static final long OPEN_LINE_WAIT_MILLIS = 200;

    public AttemptLog(Path path) throws IOException {
        this.path = path;
        this.out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
    }

    public Path path() {
        return path;
    }

    /**
     * Appends a line, or a piece of one that {@code continues} in the next append, and returns the
     * 1-based number of the line it is (on), as {@code grep -n} counts.
     */
    public synchronized long append(String stream, byte[] b, int off, int len, boolean continues) throws IOException {
        // keep a long line whole in the file while its pieces arrive, but never stall another stream for long
        long deadline = System.nanoTime() + OPEN_LINE_WAIT_MILLIS * 1_000_000L;
        while (openLine != null && !openLine.equals(stream)) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        openLine = continues ? stream : null;
        notifyAll();
        out.write(b, off, len);
        bytes += len;
        long lineNo = lines + 1;
        if (!continues) {
            lines = lineNo;
        }
        return lineNo;
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
