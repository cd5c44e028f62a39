package dev.medic.logs;

import dev.medic.util.ByteSizes;
import dev.medic.util.PrivateFolder;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
 * <p>With a resume state file ({@link #keepResumeState}), every flush also records how far the
 * log got: bytes of each stream it holds, lines, and the side files. A supervisor that takes an
 * attempt over from a killed one reopens the log from there ({@link #resume}) and feeds it the
 * output that follows, so each byte lands in the log once.
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
    /** Bytes of each stream appended, for the resume state. */
    private long stdoutBytes;
    private long stderrBytes;
    private long savedStdout;
    private long savedStderr;
    private FileChannel state;
    /** Fixed length of the resume state: one line, padded, rewritten in place with a single write. */
    private static final int STATE_BYTES = 1024;
    private static final String STATE_MAGIC = "medic-attempt-log 1";
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

    /**
     * Reopens the log of an attempt whose supervisor died, as its resume state file says it was:
     * the log (and the newest side file) are cut back to what the state counted, and appends go on
     * from there, numbering lines on. Without a state file the log starts again from nothing.
     * The size limit is the one the log was started with.
     */
    public static AttemptLog resume(Path path, long maxBytes, Path stateFile) throws IOException {
        PrivateFolder folder = PrivateFolder.of(path.toAbsolutePath().getParent(), PrivateFolder.RUN_FOLDER);
        Map<String, String> st = readState(folder, stateFile);
        long limit = Long.parseLong(st.getOrDefault("max", Long.toString(maxBytes)));
        byte lastByte = '\n';
        try (FileChannel ch = folder.readWrite(path)) {
            long length = Long.parseLong(st.getOrDefault("file", "0"));
            ch.truncate(length);
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            if (length > 0 && ch.read(last, length - 1) == 1) {
                lastByte = last.get(0);
            }
        }
        AttemptLog log = new AttemptLog(path, limit);
        log.stdoutBytes = Long.parseLong(st.getOrDefault("stdout", "0"));
        log.stderrBytes = Long.parseLong(st.getOrDefault("stderr", "0"));
        log.lines = Long.parseLong(st.getOrDefault("lines", "0"));
        log.bytes = Long.parseLong(st.getOrDefault("bytes", "0"));
        log.headBytes = log.channel.size();
        log.lastHeadByte = lastByte;
        if (st.containsKey("tail")) {
            log.headLines = Long.parseLong(st.get("head_lines"));
            log.tail = TailSegments.restore(folder, path, limit - log.headBudget, st.get("tail"), Long.parseLong(st.get("dropped")), log.lines);
        }
        log.savedStdout = log.stdoutBytes;
        log.savedStderr = log.stderrBytes;
        log.keepResumeState(stateFile);
        return log;
    }

    /**
     * Throws, saying why, when {@code stateFile} is there but is not a resume state {@link #resume}
     * can go on from: the run can write its folder, so the file may hold anything.
     */
    public static void checkState(Path stateFile) throws IOException {
        PrivateFolder folder = PrivateFolder.of(stateFile.toAbsolutePath().getParent(), PrivateFolder.RUN_FOLDER);
        Map<String, String> st = readState(folder, stateFile);
        for (Map.Entry<String, String> e : st.entrySet()) {
            boolean ok = e.getKey().equals("tail") ? e.getValue().matches("\\d{1,9}:\\d{1,18}:\\d{1,18}(,\\d{1,9}:\\d{1,18}:\\d{1,18})*")
                    : e.getValue().matches("\\d{1,18}");
            if (!ok) {
                throw new IOException(stateFile.getFileName() + " is damaged (" + e.getKey() + "=" + e.getValue() + ")");
            }
        }
        if (st.containsKey("tail") != st.containsKey("head_lines") || st.containsKey("tail") != st.containsKey("dropped")) {
            throw new IOException(stateFile.getFileName() + " is damaged (its size-limit fields are incomplete)");
        }
    }

    private static Map<String, String> readState(PrivateFolder folder, Path stateFile) throws IOException {
        Map<String, String> st = new HashMap<>();
        if (!Files.exists(stateFile, LinkOption.NOFOLLOW_LINKS)) {
            return st;
        }
        String text;
        try (var in = folder.read(stateFile)) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        String line = text.lines().findFirst().orElse("");
        if (line.isEmpty()) {
            // made, but the supervisor died before its first flush: the log holds nothing of the attempt yet
            return st;
        }
        if (!line.startsWith(STATE_MAGIC + " ")) {
            throw new IOException(stateFile.getFileName() + " is not an attempt log's resume state");
        }
        for (String kv : line.substring(STATE_MAGIC.length()).trim().split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                st.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return st;
    }

    /** From now on every flush records how far the log got in {@code stateFile} (see {@link #resume}). */
    public synchronized void keepResumeState(Path stateFile) throws IOException {
        state = folder.readWrite(stateFile);
    }

    /**
     * Bytes of {@code stream} ("stdout" or "stderr") the resume state counts as in the log (kept or
     * dropped by the size limit): a resumed log goes on from there.
     */
    public synchronized long savedBytes(String stream) {
        return "stderr".equals(stream) ? savedStderr : savedStdout;
    }

    private void writeState() throws IOException {
        StringBuilder b = new StringBuilder(STATE_MAGIC).append(" max=").append(maxBytes).append(" stdout=").append(stdoutBytes)
                .append(" stderr=").append(stderrBytes).append(" lines=").append(lines).append(" bytes=").append(bytes)
                .append(" file=").append(headBytes);
        if (tail != null) {
            b.append(" head_lines=").append(headLines).append(" dropped=").append(tail.droppedBytes()).append(" tail=").append(tail.state());
        }
        b.append('\n');
        while (b.length() < STATE_BYTES) {
            b.append(' ');
        }
        // one write at offset 0 of a fixed length: a supervisor killed at any moment leaves the old state or the new one
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII));
        long at = 0;
        while (buf.hasRemaining()) {
            at += state.write(buf, at);
        }
        savedStdout = stdoutBytes;
        savedStderr = stderrBytes;
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
        if ("stderr".equals(stream)) {
            stderrBytes += len;
        } else {
            stdoutBytes += len;
        }
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
            if (state != null) {
                writeState();
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
        if (state != null) {
            state.close();
        }
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
