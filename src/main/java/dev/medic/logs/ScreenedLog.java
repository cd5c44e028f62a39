package dev.medic.logs;

import dev.medic.facts.Signature;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a saved log and hands the lines the screen wants ({@link Screen#screened}) to a sink, in file order, numbered
 * as {@link LineSplitter} cuts the whole file (a {@code \r} ends a line; the pieces of an over-long
 * line share its number). The screen is per line and keeps no state across lines, so a big file is
 * cut into ranges that begin right after a {@code \n}, each range is split and screened on its own
 * worker thread, and each range's first line number is the sum of the line counts before it. Only
 * the candidates travel back to the calling thread, which alone calls the sink.
 */
public final class ScreenedLog {
    /**
     * Receives one line the screen wants: {@code b[off, off+len)} without its terminator, and the
     * signatures that matched it (empty for a line kept for the traceback reader alone).
     */
    public interface Sink {
        void line(long lineNo, byte[] b, int off, int len, List<Signature> hits);
    }

    /**
     * How to read: {@code threads} workers over ranges of about {@code rangeBytes}; one thread
     * (or a file no bigger than one range) reads it front to back on the calling thread.
     */
    public record Reading(int threads, long rangeBytes) {
        public Reading {
            if (threads < 1 || rangeBytes < 1) {
                throw new IllegalArgumentException("threads and rangeBytes must be positive");
            }
        }

        /** Every core, ranges of 8 MiB: a range is worth a task, and a log has many of them. */
        public static Reading allCores() {
            // more ranges in flight would not fit medic's small heap on a many-core node
            return new Reading(Math.min(Runtime.getRuntime().availableProcessors(), 8), 8L << 20);
        }

        public static Reading sequential() {
            return new Reading(1, Long.MAX_VALUE);
        }
    }

    private static final int READ_BUFFER = 1 << 20;
    /**
     * Ranges screened ahead of the sink. The sink's first lines wait for the rules to compile, and
     * the workers go on meanwhile; what a range holds is bounded by {@link Candidates}.
     */
    private static final int AHEAD_PER_THREAD = 16;
    /**
     * A range too full to hold its candidates is cut into pieces of {@link #SPLIT} (or halves, down
     * to {@link #MIN_SPLIT}), screened on the workers; a smaller one is read again by the calling thread.
     */
    private static final long SPLIT = 1 << 20;
    private static final long MIN_SPLIT = 256 * 1024;

    private ScreenedLog() {
    }

    public static void read(Path log, int maxLine, Screen screen, Reading reading, Sink sink) throws IOException {
        try (FileChannel file = FileChannel.open(log, StandardOpenOption.READ)) {
            // the size when reading starts: a log that is still growing is read up to here
            long size = file.size();
            if (reading.threads() == 1 || size <= reading.rangeBytes()) {
                scan(file, 0, size, maxLine, screen, sink, new byte[READ_BUFFER], () -> false);
                return;
            }
            readInParallel(file, size, maxLine, screen, reading, sink);
        }
    }

    private static void readInParallel(FileChannel file, long size, int maxLine, Screen screen, Reading reading, Sink sink)
            throws IOException {
        ExecutorService workers = Executors.newFixedThreadPool(reading.threads(), r -> {
            Thread t = new Thread(r, "medic-log-reader");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[READ_BUFFER]);
        ArrayDeque<Future<Range>> ahead = new ArrayDeque<>();
        try {
            long next = 0;
            long firstLine = 1;
            int window = reading.threads() * AHEAD_PER_THREAD;
            while (next < size || !ahead.isEmpty()) {
                while (next < size && ahead.size() < window) {
                    long start = next;
                    long end = lineStartAtOrAfter(file, size, start + Math.min(reading.rangeBytes(), size - start));
                    ahead.add(workers.submit(() -> Range.screen(file, start, end, maxLine, screen, buffers.get())));
                    next = end;
                }
                Range r = await(ahead.poll());
                long lines;
                if (r.candidates.full && r.end - r.start > MIN_SPLIT) {
                    // too many candidates for one range (a log of traceback frames): pieces, on the workers, in order
                    long piece = Math.max(MIN_SPLIT, Math.min(SPLIT, (r.end - r.start) / 2));
                    List<long[]> pieces = new ArrayList<>();
                    for (long from = r.start; from < r.end; ) {
                        long to = Math.min(r.end, lineStartAtOrAfter(file, size, Math.min(r.end, from + piece)));
                        pieces.add(new long[] {from, to});
                        from = to;
                    }
                    for (int k = pieces.size() - 1; k >= 0; k--) {
                        long from = pieces.get(k)[0];
                        long to = pieces.get(k)[1];
                        ahead.addFirst(workers.submit(() -> Range.screen(file, from, to, maxLine, screen, buffers.get())));
                    }
                    continue;
                }
                if (r.candidates.full) {
                    // too many candidates to hold: the range is read again here, straight into the sink
                    long base = firstLine - 1;
                    lines = scan(file, r.start, r.end, maxLine, screen, (n, b, off, len, hits) -> sink.line(base + n, b, off, len, hits),
                            new byte[READ_BUFFER], () -> false);
                } else {
                    r.candidates.replay(firstLine - 1, sink);
                    lines = r.lines;
                }
                firstLine += lines;
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static Range await(Future<Range> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the log");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    /** One range as a worker screened it: its line count and its candidates. */
    private record Range(long start, long end, long lines, Candidates candidates) {
        static Range screen(FileChannel file, long start, long end, int maxLine, Screen screen, byte[] buf) {
            Candidates c = new Candidates();
            try {
                long lines = scan(file, start, end, maxLine, screen, c, buf, () -> c.full);
                return new Range(start, end, lines, c);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Splits {@code [start, end)} of the file into lines, numbering them from 1, and hands those the
     * screen passes to the sink. Rejected lines cost no allocation. Returns the number of lines.
     */
    static long scan(FileChannel file, long start, long end, int maxLine, Screen screen, Sink sink, byte[] buf,
                     java.util.function.BooleanSupplier stop) throws IOException {
        Numbering numbering = new Numbering(screen, sink);
        LineSplitter splitter = new LineSplitter(maxLine, numbering);
        long pos = start;
        while (pos < end && !stop.getAsBoolean()) {
            int n = readAt(file, buf, pos, (int) Math.min(buf.length, end - pos));
            if (n <= 0) {
                break; // the file shrank under us
            }
            splitter.feed(buf, 0, n);
            pos += n;
        }
        splitter.finish();
        return numbering.lineNo;
    }

    /** Numbers lines as the splitter cuts them: the pieces of an over-long line keep the line's number. */
    private static final class Numbering implements LineSplitter.Sink {
        private final Screen screen;
        private final Sink sink;
        long lineNo;
        private boolean continuing;

        Numbering(Screen screen, Sink sink) {
            this.screen = screen;
            this.sink = sink;
        }

        @Override
        public void line(byte[] buf, int off, int contentLen, int termLen, boolean continues) {
            if (!continuing) {
                lineNo++;
            }
            continuing = continues;
            List<Signature> hits = screen.screened(buf, off, contentLen);
            if (hits != null) {
                sink.line(lineNo, buf, off, contentLen, hits);
            }
        }
    }

    /**
     * The candidate lines of one range, copied out of the read buffer. Bounded, so that ranges read
     * ahead cannot fill the heap: past the bound the range is marked full and read again by the
     * calling thread.
     */
    private static final class Candidates implements Sink {
        private static final int MAX_BYTES = 512 * 1024;
        private static final int MAX_LINES = 16 * 1024;
        private byte[] bytes = new byte[4096];
        private int used;
        private long[] lineNos = new long[16];
        private int[] lengths = new int[16];
        private List<Signature>[] hits = newHits(16);
        private int count;
        boolean full;

        @Override
        public void line(long lineNo, byte[] b, int off, int len, List<Signature> lineHits) {
            if (full || count == MAX_LINES || used + len > MAX_BYTES) {
                full = true;
                return;
            }
            if (used + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
            }
            if (count == lineNos.length) {
                lineNos = Arrays.copyOf(lineNos, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
                hits = Arrays.copyOf(hits, count * 2);
            }
            hits[count] = lineHits;
            System.arraycopy(b, off, bytes, used, len);
            lineNos[count] = lineNo;
            lengths[count] = len;
            used += len;
            count++;
        }

        @SuppressWarnings("unchecked")
        private static List<Signature>[] newHits(int n) {
            return (List<Signature>[]) new List<?>[n];
        }

        /** Hands the candidates to {@code sink}, numbered from {@code base + 1}. */
        void replay(long base, Sink sink) {
            int off = 0;
            for (int i = 0; i < count; i++) {
                sink.line(base + lineNos[i], bytes, off, lengths[i], hits[i]);
                off += lengths[i];
            }
        }
    }

    /**
     * The first position at or after {@code from} where a line begins after a {@code \n} (or the
     * file's end): ranges cut there split into exactly the lines the whole file does, since a
     * {@code \n} always ends a line and a {@code \r\n} is never torn apart.
     */
    static long lineStartAtOrAfter(FileChannel file, long size, long from) throws IOException {
        if (from <= 0) {
            return 0;
        }
        byte[] buf = new byte[64 * 1024];
        long pos = from - 1;
        while (pos < size) {
            int n = readAt(file, buf, pos, (int) Math.min(buf.length, size - pos));
            if (n <= 0) {
                return size;
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    return pos + i + 1;
                }
            }
            pos += n;
        }
        return size;
    }

    /** Reads up to {@code len} bytes at {@code pos}: fewer only at the end of the file (-1 there). */
    private static int readAt(FileChannel file, byte[] buf, long pos, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            int n = file.read(bb, pos + bb.position());
            if (n < 0) {
                break;
            }
        }
        return bb.position() == 0 && len > 0 ? -1 : bb.position();
    }
}
