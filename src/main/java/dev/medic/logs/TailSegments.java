package dev.medic.logs;

import dev.medic.util.LinkRefusedException;
import dev.medic.util.PrivateFolder;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last part of an attempt's output once its log is over budget: a ring of side files
 * ({@code attempt-N.log.tail-000001}, {@code -000002}, ...) of about an eighth of the budget each.
 * When the live files hold more than the budget, the oldest is deleted. The ring lives on disk,
 * not in memory, so a 1 GB budget costs no heap, and a medic killed mid-attempt leaves the newest
 * output in those files (their names sort in the order they were written).
 * <p>Each file holds whole appends (lines, or pieces of lines longer than the line limit), so a
 * file starts where a line starts, and what was dropped is counted exactly, in bytes and lines.
 * Side files are created new and read back without following links: a link planted in their
 * place (the run can see its folder) is a failed write ({@link LinkRefusedException} as the cause).
 * Not thread-safe: {@link AttemptLog} calls it under its own lock.
 */
final class TailSegments {
    /** The ring's granularity: the kept part is at least 7/8 of the budget once output has been dropped. */
    private static final int SEGMENTS = 8;

    private record Segment(Path path, long startLine, long bytes) {
    }

    private final PrivateFolder folder;
    private final Path log;
    private final long budget;
    private final long segmentSize;
    private final Deque<Segment> done = new ArrayDeque<>();
    private long doneBytes;
    private int sequence;
    private Path currentPath;
    /** The newest file, and the buffer in front of it. */
    private OutputStream currentFile;
    private OutputStream current;
    private long currentStartLine;
    private long currentBytes;
    private long droppedBytes;

    /** @param budget bytes the kept part may hold (appends are never split, so one longer than it is kept whole) */
    TailSegments(PrivateFolder folder, Path log, long budget) {
        this.folder = folder;
        this.log = log;
        this.budget = budget;
        this.segmentSize = Math.max(1, budget / SEGMENTS);
    }

    /**
     * The ring as a resume state left it ({@link #state}): side files newer than the state are
     * deleted, the newest it names is cut back to what it held then, and one that the ring
     * dropped since is counted as dropped. {@code linesBefore}: the lines the state counted, where
     * a newest side file that is gone starts again, empty.
     */
    static TailSegments restore(PrivateFolder folder, Path log, long budget, String state, long droppedBefore, long linesBefore)
            throws IOException {
        TailSegments t = new TailSegments(folder, log, budget);
        t.droppedBytes = droppedBefore;
        String[] segs = state.split(",");
        for (int i = 0; i < segs.length; i++) {
            String[] f = segs[i].split(":");
            int seq = Integer.parseInt(f[0]);
            long start = Long.parseLong(f[1]);
            long bytes = Long.parseLong(f[2]);
            Path p = t.segmentPath(seq);
            boolean there = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            t.sequence = seq;
            if (!there) {
                // the ring dropped it after the state was written: what it held counts as dropped
                t.droppedBytes += bytes;
                if (i < segs.length - 1) {
                    continue;
                }
                start = linesBefore;
                bytes = 0;
            } else if (i < segs.length - 1) {
                t.done.addLast(new Segment(p, start, bytes));
                t.doneBytes += bytes;
                continue;
            }
            try (FileChannel ch = t.channel(() -> folder.readWrite(p))) {
                ch.truncate(bytes);
            }
            t.currentPath = p;
            t.currentFile = Channels.newOutputStream(t.channel(() -> folder.append(p)));
            t.current = new BufferedOutputStream(t.currentFile, 64 * 1024);
            t.currentStartLine = start;
            t.currentBytes = bytes;
        }
        // written after the state: the output they hold is written again
        String prefix = log.getFileName() + ".tail-";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(log.toAbsolutePath().getParent(), prefix + "*")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                if (rest.matches("\\d{6,}") && Integer.parseInt(rest) > t.sequence) {
                    t.delete(p);
                }
            }
        }
        return t;
    }

    /** The live side files as {@code seq:startLine:bytes,...}, oldest first, for {@link #restore}. */
    String state() {
        StringBuilder b = new StringBuilder();
        for (Segment s : done) {
            b.append(sequenceOf(s.path())).append(':').append(s.startLine()).append(':').append(s.bytes()).append(',');
        }
        return b.append(sequence).append(':').append(currentStartLine).append(':').append(currentBytes).toString();
    }

    private Path segmentPath(int seq) {
        return log.resolveSibling(log.getFileName() + String.format(".tail-%06d", seq));
    }

    private static int sequenceOf(Path p) {
        String name = p.getFileName().toString();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    /** Appends one unit; {@code linesBefore} is the number of lines the output had completed before it. */
    void write(byte[] b, int off, int len, long linesBefore) throws IOException {
        if (current == null || (currentBytes > 0 && currentBytes + len > segmentSize)) {
            rotate(linesBefore);
        }
        current.write(b, off, len);
        currentBytes += len;
        while (doneBytes + currentBytes > budget && !done.isEmpty()) {
            Segment oldest = done.removeFirst();
            delete(oldest.path());
            doneBytes -= oldest.bytes();
            droppedBytes += oldest.bytes();
        }
    }

    private void rotate(long linesBefore) throws IOException {
        if (current != null) {
            current.close();
            done.addLast(new Segment(currentPath, currentStartLine, currentBytes));
            doneBytes += currentBytes;
        }
        sequence++;
        currentPath = segmentPath(sequence);
        Path p = currentPath;
        currentFile = Channels.newOutputStream(channel(() -> folder.createNew(p)));
        current = new BufferedOutputStream(currentFile, 64 * 1024);
        currentStartLine = linesBefore;
        currentBytes = 0;
    }

    void flush() throws IOException {
        if (current != null) {
            current.flush();
        }
    }

    long droppedBytes() {
        return droppedBytes;
    }

    /** Lines the output had completed before the first kept byte. */
    long firstKeptStartLine() {
        return done.isEmpty() ? currentStartLine : done.peekFirst().startLine();
    }

    long keptBytes() {
        return doneBytes + currentBytes;
    }

    /** The live side files, oldest first. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        done.forEach(s -> files.add(s.path()));
        if (currentPath != null) {
            files.add(currentPath);
        }
        return files;
    }

    /** Closes the newest file; copies every live file, oldest first, to {@code out}. The files stay. */
    void copyTo(OutputStream out) throws IOException {
        current.close();
        byte[] buf = new byte[1 << 20];
        for (Path p : files()) {
            try (InputStream in = open(p)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                }
            }
        }
    }

    /**
     * Closes the newest file without writing what is still buffered (after a failed write that
     * could repeat bytes), and leaves every live file where it is.
     */
    void abandon() {
        try {
            currentFile.close();
        } catch (IOException e) {
            // the files hold what reached them; nothing more can be done here
        }
    }

    void delete() throws IOException {
        for (Path p : files()) {
            delete(p);
        }
    }

    private interface Opening {
        FileChannel open() throws IOException;
    }

    /** A link planted in a side file's place is a failed write, as in {@link #rotate}. */
    private FileChannel channel(Opening opening) throws IOException {
        try {
            return opening.open();
        } catch (LinkRefusedException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private InputStream open(Path p) throws IOException {
        try {
            return folder.read(p);
        } catch (LinkRefusedException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void delete(Path p) throws IOException {
        try {
            folder.deleteIfExists(p);
        } catch (LinkRefusedException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
