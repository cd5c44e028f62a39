package dev.medic.logs;

import dev.medic.facts.PythonException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Python tracebacks out of one stream's lines, in order: a block is the frames after
 * {@code Traceback (most recent call last):} (or after the first frame, when the top was cut off)
 * and ends with the exception line. Chained blocks ({@code During handling of the above
 * exception}, {@code The above exception was the direct cause}) are blocks of their own. Lines of
 * several ranks interleave, so each line prefix ({@code [rank1]:}, {@code 3: }, {@code (pid=12)})
 * has its own block. Only lines that {@link #ANCHORS} can pass need to be given; the gap in line
 * numbers tells whether an exception line still belongs to the frames above it.
 */
public final class Tracebacks {
    /** Lower-case literals of which one is in every line this class reads. */
    public static final List<String> ANCHORS = List.of("traceback (most recent call last)", "file \"", "error", "exception");

    /** One launcher prefix; a line may carry a few ({@link #MAX_PREFIXES_A_LINE}), taken one at a time. */
    private static final Pattern PREFIX = Pattern.compile("(?:\\[[^\\]\\[]{1,40}\\]:?|\\([^()]{1,60}\\)|\\d{1,5}:)[ \\t]*");
    private static final int MAX_PREFIXES_A_LINE = 4;
    /** Tracebacks are read from a line's first characters: a longer message is cut, never read in full. */
    private static final int MAX_READ = 4096;
    private static final Pattern FRAME = Pattern.compile("^\\s*File \"([^\"]{1,1000})\", line \\d+");
    // TensorFlow 1 ends a graph error with "NotFoundError (see above for traceback): message"; Ray wraps a
    // task's exception as "ray.exceptions.RayTaskError(MemoryError): ..."
    private static final Pattern EXCEPTION = Pattern.compile(
            "^([A-Za-z_][\\w]*(?:\\.[A-Za-z_]\\w*){0,12})(?:\\(([A-Za-z_][\\w.]{0,200})\\))?(?: \\(see above for traceback\\))?(?::[ \\t]?(.*))?$");
    /** A host name before each line, as pdsh and the DeepSpeed launcher print a node's output. */
    private static final Pattern HOST = Pattern.compile("^([A-Za-z][\\w.-]{0,62}):[ \\t]+");
    /** After a frame line: its code line, caret lines (3.11+), a multi-line statement, and lines of the other stream between. */
    private static final int MAX_GAP = 20;
    private static final int MAX_FRAMES = 200;
    private static final int MAX_PREFIXES = 64;

    private final Map<String, Block> open = new LinkedHashMap<>();
    private boolean sourceLine;

    private static final class Block {
        final List<String> frames = new ArrayList<>();
        long lastLine;

        Block(long lineNo) {
            lastLine = lineNo;
        }
    }

    /**
     * False when {@link #line} would neither open, extend nor end a block with this line, whatever
     * came before it: such a line, with no signature of its own, need not be given at all.
     */
    public static boolean mayRead(String line) {
        String text = line.length() > MAX_READ ? line.substring(0, MAX_READ) : line;
        if (!text.contains("Traceback (most recent call last)") && !text.contains("File \"") && !mayStateException(text)) {
            return false;
        }
        String rest = text.substring(prefixEnd(text));
        return rest.contains("Traceback (most recent call last)") || FRAME.matcher(rest).lookingAt()
                || EXCEPTION.matcher(rest).matches();
    }

    /**
     * False when no part of {@code text} where a line's own text can start (its start, or after a
     * prefix's closing ']', ')' or ':' and blanks) holds a name followed by '(', ':', the line's
     * end or " (see above": then {@link #EXCEPTION} cannot match. Most lines fail at their first
     * word; this costs one pass and no matcher.
     */
    static boolean mayStateException(String text) {
        int n = text.length();
        for (int p = 0; p < n; p++) {
            char c = text.charAt(p);
            int start;
            if (p == 0) {
                start = 0;
            } else if (c == ']' || c == ')' || c == ':') {
                start = p + 1;
                while (start < n && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
                    start++;
                }
            } else {
                continue;
            }
            if (start >= n || !isNameStart(text.charAt(start))) {
                continue;
            }
            int end = start + 1;
            while (end < n && (isWord(text.charAt(end)) || text.charAt(end) == '.')) {
                end++;
            }
            if (end == n || text.charAt(end) == '(' || text.charAt(end) == ':' || text.startsWith(" (see above", end)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNameStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isWord(char c) {
        return isNameStart(c) || c >= '0' && c <= '9';
    }

    /** The exception this line ends a block with (or states on its own), else null. */
    public PythonException line(long lineNo, String line) {
        sourceLine = false;
        String text = line.length() > MAX_READ ? line.substring(0, MAX_READ) : line;
        int at = prefixEnd(text);
        String rest = text.substring(at);
        String prefix = text.substring(0, at).strip();
        if (rest.contains("Traceback (most recent call last)")) {
            start(prefix, lineNo);
            return null;
        }
        Matcher fm = FRAME.matcher(rest);
        if (fm.lookingAt()) {
            Block b = open.get(prefix);
            if (b == null || lineNo - b.lastLine > MAX_GAP) {
                b = start(prefix, lineNo);
            }
            if (b.frames.size() < MAX_FRAMES) {
                b.frames.add(fm.group(1));
            }
            b.lastLine = lineNo;
            return null;
        }
        Block frame = open.get(prefix);
        if (frame != null && frame.lastLine == lineNo - 1 && !rest.isEmpty() && Character.isWhitespace(rest.charAt(0))) {
            // the source line a frame shows: the program's text, not what happened
            sourceLine = true;
            return null;
        }
        Matcher em = EXCEPTION.matcher(rest);
        if (!em.matches()) {
            return null;
        }
        Block b = open.get(prefix);
        boolean inBlock = b != null && lineNo - b.lastLine <= MAX_GAP;
        // below frames any class name ends the block (requests' ConnectTimeout, socket's gaierror);
        // alone, only a name that says it is an exception
        if (!(inBlock && em.group(3) != null) && !isExceptionType(em.group(1))) {
            return null;
        }
        open.remove(prefix);
        String message = em.group(3) == null ? "" : em.group(3).strip();
        if (!inBlock && em.group(3) == null) {
            // a bare word such as "Error" on a line of its own says nothing without frames above it
            return null;
        }
        // Ray re-raises a task's exception as RayTaskError(KeyError): the cause in brackets is the type that matters
        String type = em.group(2) != null && isExceptionType(em.group(2)) ? em.group(2) : em.group(1);
        return PythonException.of(type, message, inBlock ? b.frames : List.of());
    }

    /** Where the line's own text starts: after launcher prefixes, and a host name before them where one is. */
    private static int prefixEnd(String text) {
        int at = skipPrefixes(text, 0);
        String rest = text.substring(at);
        Matcher hm = HOST.matcher(rest);
        if (hm.lookingAt() && !isExceptionType(hm.group(1))) {
            // a host name, then perhaps a rank: "gpu-node-2: [rank9]:   File ..."
            int after = skipPrefixes(rest, hm.end());
            if (readable(rest.substring(after))) {
                at += after;
            }
        }
        return at;
    }

    /** The index after the launcher prefixes that begin {@code text} at {@code from}. */
    private static int skipPrefixes(String text, int from) {
        Matcher m = PREFIX.matcher(text);
        int at = from;
        for (int i = 0; i < MAX_PREFIXES_A_LINE; i++) {
            m.region(at, text.length());
            if (!m.lookingAt()) {
                break;
            }
            at = m.end();
        }
        return at;
    }

    private Block start(String prefix, long lineNo) {
        if (open.size() >= MAX_PREFIXES && !open.containsKey(prefix)) {
            open.remove(open.keySet().iterator().next());
        }
        Block b = new Block(lineNo);
        open.put(prefix, b);
        return b;
    }

    /** True when the last line given was the source line of a frame (the line after {@code File "...", line N}). */
    public boolean wasSourceLine() {
        return sourceLine;
    }

    /** True when the line is one this class reads: a traceback's start, a frame or an exception. */
    private static boolean readable(String rest) {
        if (rest.contains("Traceback (most recent call last)") || FRAME.matcher(rest).lookingAt()) {
            return true;
        }
        Matcher em = EXCEPTION.matcher(rest);
        return em.matches() && isExceptionType(em.group(1));
    }

    /** A name Python gives an exception class; warnings are printed, not raised. */
    public static boolean isExceptionType(String type) {
        String simple = type.substring(type.lastIndexOf('.') + 1);
        return simple.endsWith("Error") || simple.endsWith("Exception") || simple.equals("KeyboardInterrupt")
                || simple.equals("SystemExit");
    }
}
