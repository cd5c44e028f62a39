package dev.medic.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The line-splitting contract of {@link LineSplitter} written the plainest way, to check the real
 * one against: a line ends at {@code \n}, {@code \r\n} or a lone {@code \r}; a {@code \r} that
 * ends the input so far waits for the next byte; a line that reaches the limit is cut as soon as
 * one more of its bytes arrives. Bytes are held as ISO-8859-1 text, one char a byte, so pieces
 * compare and print plainly.
 */
public final class ReferenceSplitter {
    /** One line or piece of a line: its text, its terminator ("" for none) and whether the next piece continues it. */
    public record Piece(String content, String term, boolean continues) {
        public byte[] bytes() {
            return (content + term).getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private final int maxLine;
    private final StringBuilder rest = new StringBuilder();

    public ReferenceSplitter(int maxLine) {
        this.maxLine = maxLine;
    }

    /** The pieces of the whole input, fed at once. */
    public static List<Piece> split(byte[] input, int maxLine) {
        ReferenceSplitter s = new ReferenceSplitter(maxLine);
        List<Piece> out = new ArrayList<>(s.feed(input, 0, input.length));
        out.addAll(s.finish());
        return out;
    }

    /** The pieces these bytes complete. */
    public List<Piece> feed(byte[] b, int off, int len) {
        rest.append(new String(b, off, len, StandardCharsets.ISO_8859_1));
        return take(false);
    }

    /** What is left at the end of the stream. */
    public List<Piece> finish() {
        return take(true);
    }

    private List<Piece> take(boolean end) {
        List<Piece> out = new ArrayList<>();
        int start = 0;
        while (start < rest.length()) {
            // only the next maxLine + 1 bytes can decide the next piece
            int limit = Math.min(rest.length(), start + maxLine + 1);
            int t = start;
            while (t < limit && rest.charAt(t) != '\n' && rest.charAt(t) != '\r') {
                t++;
            }
            if (t - start > maxLine) {
                out.add(new Piece(rest.substring(start, start + maxLine), "", true));
                start += maxLine;
                continue;
            }
            if (t == rest.length()) {
                if (end) {
                    out.add(new Piece(rest.substring(start), "", false));
                    start = t;
                }
                break;
            }
            int termLen;
            if (rest.charAt(t) == '\n') {
                termLen = 1;
            } else if (t + 1 < rest.length()) {
                termLen = rest.charAt(t + 1) == '\n' ? 2 : 1;
            } else if (end) {
                termLen = 1;
            } else {
                break;
            }
            out.add(new Piece(rest.substring(start, t), rest.substring(t, t + termLen), false));
            start = t + termLen;
        }
        rest.delete(0, start);
        return out;
    }
}
