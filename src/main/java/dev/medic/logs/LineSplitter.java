package dev.medic.logs;

/**
 * Cuts one stream's bytes into lines as they arrive. A line ends at {@code \n}, {@code \r\n} or a
 * lone {@code \r} (progress bars redraw with {@code \r}); a line longer than the limit is cut into
 * pieces of the limit. Every byte fed comes out exactly once, in order, terminators included, so
 * the sink can write a verbatim log from what it is given.
 * <p>Not thread-safe: one splitter per stream, fed by one thread at a time.
 */
public final class LineSplitter {
    /**
     * Receives each line: {@code buf[off, off+contentLen)} is the text, followed by {@code termLen}
     * terminator bytes. {@code continues} is true for a piece of a line longer than the limit that
     * the next piece continues (the same line of the file).
     */
    public interface Sink {
        void line(byte[] buf, int off, int contentLen, int termLen, boolean continues);
    }

    public static final int DEFAULT_MAX_LINE = 64 * 1024;

    private final int maxLine;
    private final Sink sink;
    private byte[] carry;
    private int carryLen;
    private boolean pendingCr;

    public LineSplitter(int maxLine, Sink sink) {
        if (maxLine < 1) {
            throw new IllegalArgumentException("maxLine must be positive");
        }
        this.maxLine = maxLine;
        this.sink = sink;
        this.carry = new byte[Math.min(maxLine + 2, 8192)];
    }

    public void feed(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        if (pendingCr && i < end) {
            pendingCr = false;
            if (b[i] == '\n') {
                append(b, i, 1);
                i++;
                emitCarry(2, false);
            } else {
                emitCarry(1, false);
            }
        }
        int lineStart = i;
        // the index at which the current line reaches the length limit (carry counts towards it)
        int limitAt = lineStart + maxLine - carryLen;
        while (i < end) {
            // most bytes are text: pass them in a tight loop, up to the limit
            int stop = Math.min(end, limitAt);
            while (i < stop && b[i] > '\r') {
                i++;
            }
            if (i == end) {
                break;
            }
            byte c = b[i];
            if (c > '\r' || (c != '\n' && c != '\r')) {
                if (i >= limitAt) {
                    if (carryLen == 0) {
                        sink.line(b, lineStart, i - lineStart, 0, true);
                    } else {
                        append(b, lineStart, i - lineStart);
                        emitCarry(0, true);
                    }
                    lineStart = i;
                    limitAt = lineStart + maxLine;
                }
                i++;
                continue;
            }
            int termLen;
            if (c == '\n') {
                termLen = 1;
            } else if (i + 1 < end) {
                termLen = b[i + 1] == '\n' ? 2 : 1;
            } else {
                // a '\r' at the end of a chunk: the next chunk decides whether "\r\n" follows
                append(b, lineStart, i + 1 - lineStart);
                pendingCr = true;
                return;
            }
            int lineEnd = i + termLen;
            if (carryLen == 0) {
                sink.line(b, lineStart, i - lineStart, termLen, false);
            } else {
                append(b, lineStart, lineEnd - lineStart);
                emitCarry(termLen, false);
            }
            i = lineEnd;
            lineStart = i;
            limitAt = lineStart + maxLine;
        }
        if (lineStart < end) {
            append(b, lineStart, end - lineStart);
        }
    }

    /** Emits what is left (a last line without a terminator). */
    public void finish() {
        if (pendingCr) {
            pendingCr = false;
            emitCarry(1, false);
        } else if (carryLen > 0) {
            emitCarry(0, false);
        }
    }

    private void emitCarry(int termLen, boolean continues) {
        int len = carryLen;
        carryLen = 0;
        sink.line(carry, 0, len - termLen, termLen, continues);
    }

    private void append(byte[] b, int off, int len) {
        if (carryLen + len > carry.length) {
            byte[] bigger = new byte[Math.max(carry.length * 2, carryLen + len)];
            System.arraycopy(carry, 0, bigger, 0, carryLen);
            carry = bigger;
        }
        System.arraycopy(b, off, carry, carryLen, len);
        carryLen += len;
    }
}
