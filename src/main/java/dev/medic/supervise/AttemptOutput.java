package dev.medic.supervise;

import dev.medic.backend.OutputSink;
import dev.medic.facts.LogEvent;
import dev.medic.facts.Signature;
import dev.medic.logs.Ansi;
import dev.medic.logs.AttemptLog;
import dev.medic.logs.ExceptionReader;
import dev.medic.logs.LineSplitter;
import dev.medic.logs.Redactor;
import dev.medic.logs.Screen;
import dev.medic.progress.ProgressParser;
import dev.medic.progress.ProgressTracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Receives an attempt's output from the backend: every line is written to the attempt log first,
 * then screened against the catalog's signatures; only matching lines become {@link LogEvent}s on
 * the supervisor's queue. A full queue blocks the reader, which slows the child (back-pressure)
 * rather than dropping anything.
 */
final class AttemptOutput implements OutputSink {
    /** Queue items besides log events. */
    record StreamClosed(String stream) {
    }

    record Exited() {
    }

    record WriteFailed(IOException error) {
    }

    private final int attempt;
    private final AttemptLog log;
    /**
     * The screen and its exception reader; null until given. The supervisor gives them once the
     * child has started (building the anchor automaton need not delay the start); lines that come
     * before are written to the log at once and held in {@link #unscreened} to be judged then.
     */
    private volatile Screening screening;
    /** Guards the hand-over from {@link #unscreened} to {@link #screening}, so that no line is judged out of order. */
    private final Object gate = new Object();
    private final List<Unscreened> unscreened = new java.util.ArrayList<>();
    private final BlockingQueue<Object> queue;
    private final LineSplitter out;
    private final LineSplitter err;
    private volatile long lastOutputMillis;
    private volatile boolean writeFailed;

    private final OutputSink echo;
    /** Per stream, the end of the last piece when it was cut at the length limit (the next piece continues it); else null. */
    private String outCut;
    private String errCut;

    private final ProgressParser progress;
    private final ProgressTracker tracker;
    /**
     * A flood of progress lines (a bar redrawn thousands of times a second) is read at most every
     * 20 ms; the newest line skipped meanwhile waits here and is read by {@link #flushProgress}, so
     * the last progress of an attempt is exact and a flood costs next to nothing.
     */
    private static final long PROGRESS_EVERY_NANOS = 20_000_000L;
    private final AtomicLong progressReadNanos = new AtomicLong(System.nanoTime() - PROGRESS_EVERY_NANOS);
    private final AtomicReference<String> progressPending = new AtomicReference<>();

    AttemptOutput(int attempt, AttemptLog log, Screen screen, BlockingQueue<Object> queue, int maxLine, OutputSink echo) {
        this(attempt, log, screen, ProgressParser.none(), new ProgressTracker(), queue, maxLine, echo);
    }

    /**
     * @param progress reads step, loss and the like from lines; what it finds goes to {@code tracker}
     * @param echo     also receives the raw bytes (the CLI shows the run's output live); may be null
     */
    AttemptOutput(int attempt, AttemptLog log, Screen screen, ProgressParser progress, ProgressTracker tracker,
                  BlockingQueue<Object> queue, int maxLine, OutputSink echo) {
        this(attempt, log, progress, tracker, queue, maxLine, echo);
        screenWith(screen);
    }

    /** The same, without its screen yet: lines that come before {@link #screenWith} are held and judged then. */
    AttemptOutput(int attempt, AttemptLog log, ProgressParser progress, ProgressTracker tracker,
                  BlockingQueue<Object> queue, int maxLine, OutputSink echo) {
        this.attempt = attempt;
        this.progress = progress;
        this.tracker = tracker;
        this.echo = echo;
        this.log = log;
        this.queue = queue;
        this.out = new LineSplitter(maxLine, (b, off, len, term, cont) -> line(STDOUT, b, off, len, term, cont));
        this.err = new LineSplitter(maxLine, (b, off, len, term, cont) -> line(STDERR, b, off, len, term, cont));
    }

    /** Python exceptions per stream: each stream's lines arrive in order on one thread. */
    private record Screening(Screen screen, ExceptionReader exceptions) {
    }

    /** A line that came before the screen: its text, and what its judging needs. */
    private record Unscreened(String stream, byte[] text, long lineNo, String precededBy, boolean continues) {
    }

    /** Gives the screen the lines are judged with; the lines that came before it was given are judged now, in order. */
    void screenWith(Screen screen) {
        synchronized (gate) {
            if (screening != null) {
                return;
            }
            Screening sc = new Screening(screen, screen.exceptionReader());
            for (Unscreened u : unscreened) {
                judge(sc, u.stream(), u.text(), 0, u.text().length, u.lineNo(), u.precededBy(), u.continues());
            }
            unscreened.clear();
            screening = sc;
        }
    }

    /**
     * Reads the newest progress line skipped by the 20 ms spacing: the supervisor calls it as it
     * goes (a skipped line must not wait for the next one, which may be minutes away) and once the
     * output has closed.
     */
    void flushProgress() {
        String pending = progressPending.getAndSet(null);
        if (pending != null) {
            tracker.update(progress.parse(pending), System.currentTimeMillis());
        }
    }

    long lastOutputMillis() {
        return lastOutputMillis;
    }

    /** The attempt wrote output at {@code millis} before this supervisor read any (an attempt taken up again). */
    void outputSeenAt(long millis) {
        if (millis > lastOutputMillis) {
            lastOutputMillis = millis;
        }
    }

    @Override
    public long savedBytes(String stream) {
        return log.savedBytes(stream);
    }

    @Override
    public void bytes(String stream, byte[] b, int off, int len) {
        lastOutputMillis = System.currentTimeMillis();
        splitter(stream).feed(b, off, len);
        flush();
        if (echo != null) {
            echo.bytes(stream, b, off, len);
        }
    }

    @Override
    public void closed(String stream) {
        splitter(stream).finish();
        flush();
        put(new StreamClosed(stream));
    }

    @Override
    public void exited() {
        put(new Exited());
    }

    private LineSplitter splitter(String stream) {
        return STDERR.equals(stream) ? err : out;
    }

    private void line(String stream, byte[] b, int off, int len, int term, boolean continues) {
        long lineNo;
        try {
            lineNo = log.append(stream, b, off, len + term, continues);
        } catch (IOException e) {
            failWrite(e);
            return;
        }
        String precededBy = STDERR.equals(stream) ? errCut : outCut;
        if (continues || precededBy != null) {
            // only lines past the length limit: a secret straddling the cut is masked with both sides in view
            String cut = continues ? tail(b, off, len) : null;
            if (STDERR.equals(stream)) {
                errCut = cut;
            } else {
                outCut = cut;
            }
        }
        if (progress.mayMatch(b, off, len)) {
            String text = Ansi.strip(new String(b, off, len, StandardCharsets.UTF_8));
            long now = System.nanoTime();
            long last = progressReadNanos.get();
            if (now - last >= PROGRESS_EVERY_NANOS && progressReadNanos.compareAndSet(last, now)) {
                progressPending.set(null);
                tracker.update(progress.parse(text), System.currentTimeMillis());
            } else {
                progressPending.set(text);
            }
        }
        Screening sc = screening;
        if (sc == null) {
            synchronized (gate) {
                sc = screening;
                if (sc == null) {
                    // before the screen is given (a backend may write output from start() itself): judged when it is
                    unscreened.add(new Unscreened(stream, java.util.Arrays.copyOfRange(b, off, off + len), lineNo,
                            precededBy, continues));
                    return;
                }
            }
        }
        judge(sc, stream, b, off, len, lineNo, precededBy, continues);
    }

    private void judge(Screening sc, String stream, byte[] b, int off, int len, long lineNo, String precededBy, boolean continues) {
        if (!sc.screen().mayMatch(b, off, len)) {
            return;
        }
        String text = Ansi.strip(new String(b, off, len, StandardCharsets.UTF_8));
        List<Signature> hits = sc.exceptions().hits(sc.screen().match(text, stream), text, stream, lineNo);
        if (!hits.isEmpty()) {
            put(new LogEvent(attempt, stream, lineNo, text, System.currentTimeMillis(), hits,
                    precededBy == null ? "" : precededBy, continues));
        }
    }

    /** The last {@link Redactor#CUT_CONTEXT} bytes of a piece, decoded (a character the cut splits decodes as U+FFFD). */
    private static String tail(byte[] b, int off, int len) {
        int n = Math.min(len, Redactor.CUT_CONTEXT);
        return Ansi.strip(new String(b, off + len - n, n, StandardCharsets.UTF_8));
    }

    private void flush() {
        try {
            log.flush();
        } catch (IOException e) {
            failWrite(e);
        }
    }

    private void failWrite(IOException e) {
        if (!writeFailed) {
            writeFailed = true;
            put(new WriteFailed(e));
        }
    }

    private void put(Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
