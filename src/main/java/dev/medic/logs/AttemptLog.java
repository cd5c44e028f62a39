package dev.medic.logs;

import dev.medic.util.ByteSizes;
import dev.medic.util.PrivateFolder;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * An attempt's output file. Lines from both streams are appended whole, as they arrive, so the
 * file holds every byte the run wrote (interleaved at line boundaries) and each line gets the
 * number it has in the file. It is opened for appending (private, and never through a link);
 * without a size limit it is never truncated.
 * <p>With a size limit ({@code --max-log-size}), the first half of the budget is written to the
 * file as it comes; after that the output goes to a ring of side files that keeps about the last
 * half ({@link TailSegments}). Closing joins them: the head, one marker line saying what was
 * dropped, then the tail, each part a byte-exact copy of the output at its position. Memory stays
 * bounded whatever the budget, and a killed medic leaves the head in the log and the newest
 * output in the side files.
 */
public final class AttemptLog implements AutoCloseable {
    private final Path path;
    /** The run folder: the log and its side files are opened there without following links. */
    private final PrivateFolder folder;
    private final FileChannel channel;
    private final OutputStream out;
    /** The whole budget in bytes; 0: no limit. */
    private final long maxBytes;
    private final long headBudget;
    private long lines;
    private long bytes;
    private long headBytes;
    /** Lines completed when the head was full. */
    private long headLines;
    private byte lastHeadByte = '\n';
    /** Where the output goes once the head is full; null until then. */
    private TailSegments tail;
    private boolean closed;
    /** The first write that failed (a full disk): the log takes nothing after it, so what it holds stays a clean prefix. */
    private IOException failure;
    /** The stream whose line is half written (a piece of a long line), or null. */
    private String openLine;
    /** How long another stream waits for a half-written line to end before writing anyway. */
    private static final long OPEN_LINE_WAIT_MILLIS = 200;

    public AttemptLog(Path path) throws IOException {
        this(path, 0);
    }

    /** @param maxBytes what the file may hold in all (0: no limit); half goes to the start, half to the end */
    public AttemptLog(Path path, long maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a log size limit cannot be negative");
        }
        this.path = path;
        this.maxBytes = maxBytes;
        this.headBudget = maxBytes / 2;
        this.folder = PrivateFolder.of(path.toAbsolutePath().getParent(), PrivateFolder.RUN_FOLDER);
        this.channel = folder.append(path);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
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
        if (!closed) {
            if (failure != null) {
                throw failure;
            }
            try {
                store(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
        bytes += len;
        long lineNo = lines + 1;
        if (!continues) {
            lines = lineNo;
        }
        return lineNo;
    }

    private void store(byte[] b, int off, int len) throws IOException {
        if (tail == null && (maxBytes == 0 || headBytes + len <= headBudget)) {
            out.write(b, off, len);
            headBytes += len;
            if (len > 0) {
                lastHeadByte = b[off + len - 1];
            }
            return;
        }
        if (tail == null) {
            tail = new TailSegments(folder, path, maxBytes - headBudget);
            headLines = lines;
        }
        tail.write(b, off, len, lines);
    }

    /** Hands what was appended to the operating system, so readers (and a killed medic) see it. */
    public synchronized void flush() throws IOException {
        if (closed || failure != null) {
            return;
        }
        try {
            out.flush();
            if (tail != null) {
                tail.flush();
            }
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    public synchronized long lines() {
        return lines;
    }

    /** Bytes of output appended, kept or not. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Output bytes the size limit left out of the file (final once closed). */
    public synchronized long droppedBytes() {
        return tail == null ? 0 : tail.droppedBytes();
    }

    /** Lines of output whose end the size limit left out of the file (final once closed). */
    public synchronized long droppedLines() {
        return droppedBytes() == 0 ? 0 : tail.firstKeptStartLine() - headLines;
    }

    /**
     * Closes the file; with a size limit, first joins the kept last part to it behind a marker
     * line. If that fails (a full disk), the file is cut back to the head, the last part stays in
     * the side files, and the exception names them; after a failed write nothing is joined. Closing
     * twice does nothing.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failure != null) {
            // what reached the disk stays as it is: flushing a buffer whose write failed half-way could write it twice
            if (tail != null) {
                tail.abandon();
            }
            channel.close();
            throw new IOException("the attempt log took nothing more after a failed write (" + failure.getMessage() + ")"
                    + (tail == null ? "" : "; the last part of the output stays in " + sideFiles()), failure);
        }
        if (tail == null) {
            out.close();
            return;
        }
        long headLength;
        try {
            out.flush();
            headLength = channel.size();
        } catch (IOException e) {
            tail.abandon();
            channel.close();
            throw new IOException(e.getMessage() + "; the last part of the output stays in " + sideFiles(), e);
        }
        OutputStream raw = Channels.newOutputStream(channel);
        try {
            if (tail.droppedBytes() > 0) {
                raw.write(marker().getBytes(StandardCharsets.UTF_8));
            }
            tail.copyTo(raw);
        } catch (IOException e) {
            channel.truncate(headLength);
            tail.abandon();
            channel.close();
            throw new IOException("cannot join the last part of the output to " + path + " (" + e.getMessage()
                    + "); it stays in " + sideFiles(), e);
        }
        channel.close();
        tail.delete();
    }

    /** The line that stands where output was dropped; it starts a line of its own even if the head ends inside one. */
    private String marker() {
        long dropped = tail.droppedBytes();
        return (lastHeadByte == '\n' || lastHeadByte == '\r' ? "" : "\n")
                + "[medic: dropped " + dropped + " bytes (" + droppedLines() + " lines) here; --max-log-size "
                + ByteSizes.format(maxBytes) + " kept the first " + ByteSizes.format(headBytes) + " and the last "
                + ByteSizes.format(tail.keptBytes()) + "; what follows starts in line " + (tail.firstKeptStartLine() + 1)
                + " of the output]\n";
    }

    private String sideFiles() {
        return tail.files().stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
    }
}
