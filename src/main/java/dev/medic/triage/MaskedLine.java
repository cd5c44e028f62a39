package dev.medic.triage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error line with what varies from run to run masked: numbers, hex values and ids, medic run
 * ids, timestamps, IP addresses, paths and quoted values; whitespace runs count as one space.
 * Two lines with equal {@link #text()} are the same failure for triage. The line is kept as
 * pieces (literal text, a space, a mask), so that {@link #regex} can turn it into a Java
 * regular expression that finds every line with this text: each mask becomes an expression that
 * accepts everything the mask stands for, and literal text is escaped.
 */
public record MaskedLine(List<Piece> pieces) {
    /** A line is cut to this many characters before it is masked: the start names the failure. */
    public static final int MAX_LINE = 1000;

    public enum Kind {
        LITERAL(null, null),
        SPACE(" ", "\\s+"),
        SQUOTED("'<str>'", "'[^']*'"),
        DQUOTED("\"<str>\"", "\"[^\"]*\""),
        TIME("<time>", "[\\d:.,TZ+-]+"),
        IP("<ip>", "\\d+(?:\\.\\d+){3}(?::\\d+)?"),
        RUN_ID("<id>", "\\d{8}-\\d{6}-[0-9a-f]+"),
        HEX("<hex>", "(?:0[xX])?[0-9a-fA-F-]+"),
        PATH("<path>", "\\S+"),
        NUMBER("<n>", "-?\\d+(?:\\.\\d+)*(?:[eE][-+]?\\d+)?");

        final String display;
        final String regex;

        Kind(String display, String regex) {
            this.display = display;
            this.regex = regex;
        }
    }

    /**
     * One part of the line: literal text (no whitespace in it), a whitespace run, or a mask; with
     * the line's own text of it.
     */
    public record Piece(Kind kind, String original) {
        public String text() {
            return kind == Kind.LITERAL ? original : kind.display;
        }

        /**
         * The expression for this piece. A plain one accepts what the piece is in this line (a single
         * space as a space, a whole number as {@code \d+}) and reads better in a catalog; the
         * general one accepts everything the mask stands for.
         */
        public String regex(boolean plain) {
            if (kind == Kind.LITERAL) {
                return PatternText.escape(original);
            }
            if (plain && kind == Kind.SPACE && original.equals(" ")) {
                return " ";
            }
            if (plain && kind == Kind.NUMBER && original.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return "\\d+";
            }
            return kind.regex;
        }
    }

    private static final String FILE_EXT = "py|pyc|pyx|ipynb|so|cu|cuh|cpp|cc|c|h|hpp|sh|pt|pth|ckpt|bin|safetensors|npy|npz"
            + "|pkl|pickle|json|jsonl|yaml|yml|toml|cfg|ini|csv|tsv|txt|log|parquet|arrow|h5|hdf5|onnx|tar|gz|zip|tfrecord|jpg|png|wav";
    private static final String NOT_IN_PATH = "\\s'\"`,;:()\\[\\]{}<>|";

    /**
     * Every mask, tried left to right along the line; where two could start at the same place the
     * earlier one in this list wins (a quoted path is a quoted value, a date is not three numbers).
     */
    private static final List<Mask> MASKS = List.of(
            new Mask(Kind.SQUOTED, "(?<![\\w'])'[^']*'(?!\\w)"),
            new Mask(Kind.DQUOTED, "(?<![\\w\"])\"[^\"]*\""),
            // 2026-12-04, 2026-12-04T16:59:29.021Z, 16:59:29,123, and glog's month-day (E0119 13:02:56)
            new Mask(Kind.TIME, "(?<![\\w.:-])\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2})?(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?)?(?![\\w-])"
                    + "|(?<![\\w.:])\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?![\\w:])"
                    + "|(?<=\\b[IWEF])\\d{4}(?=\\s\\d{1,2}:\\d{2}:\\d{2})"),
            new Mask(Kind.IP, "(?<![\\w.])\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?(?![\\w.])"),
            new Mask(Kind.RUN_ID, "(?<![\\w-])\\d{8}-\\d{6}-[0-9a-f]{4,}(?![\\w-])"),
            // 0x7f3a, a UUID, and an id of 8 or more hex digits with both digits and letters in it
            new Mask(Kind.HEX, "(?<!\\w)0[xX][0-9a-fA-F]+"
                    + "|(?<![\\w-])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![\\w-])"
                    + "|(?<![\\w-])(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\\d)[0-9a-fA-F]{8,}(?![\\w-])"),
            // /a/b, ~/a, ./a, C:\a\b, a/b/c, and a file name with a known extension
            new Mask(Kind.PATH, "(?<![\\w.~/\\\\-])(?:~|\\.{1,2})?/[^" + NOT_IN_PATH + "]+"
                    + "|(?<!\\w)[A-Za-z]:\\\\[^" + NOT_IN_PATH + "]*"
                    + "|(?<![\\w./-])[\\w.-]+(?:/[\\w.-]+){2,}/?"
                    + "|(?<![\\w./-])(?:[\\w.-]+/)*[\\w-]+\\.(?:" + FILE_EXT + ")(?![\\w])"),
            // a number standing alone (cuda:0, [32, 128], 1.5e-3, 128x3136, rank3), not one inside a
            // name (float32, fp16, sm_90, v1.2)
            new Mask(Kind.NUMBER, "(?:(?<![A-Za-z_.\\d])|(?<=\\d[xX])|(?<=[Rr]ank))(?:-(?=\\d))?\\d+(?:\\.\\d+)*(?:[eE][-+]?\\d+)?"),
            new Mask(Kind.SPACE, "\\s+"));

    private static final Pattern ALL = Pattern.compile(alternation());

    private record Mask(Kind kind, String regex) {
    }

    public MaskedLine {
        pieces = List.copyOf(pieces);
    }

    /** Masks {@code line} (already free of terminal controls), cut to {@link #MAX_LINE} characters. */
    public static MaskedLine of(String line) {
        String text = cap(line);
        List<Piece> out = new ArrayList<>();
        Matcher m = ALL.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                out.add(new Piece(Kind.LITERAL, text.substring(at, m.start())));
            }
            out.add(new Piece(kindOf(m), m.group()));
            at = m.end();
        }
        if (at < text.length()) {
            out.add(new Piece(Kind.LITERAL, text.substring(at)));
        }
        // leading and trailing whitespace says nothing about the failure
        while (!out.isEmpty() && out.get(0).kind() == Kind.SPACE) {
            out.remove(0);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).kind() == Kind.SPACE) {
            out.remove(out.size() - 1);
        }
        return new MaskedLine(out);
    }

    /** {@code line} cut to {@link #MAX_LINE} characters (never inside a surrogate pair). */
    public static String cap(String line) {
        if (line.length() <= MAX_LINE) {
            return line;
        }
        int n = Character.isHighSurrogate(line.charAt(MAX_LINE - 1)) ? MAX_LINE - 1 : MAX_LINE;
        return line.substring(0, n);
    }

    /** The masked line: {@code RuntimeError: shape [<n>, <n>] at <path>}. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Piece p : pieces) {
            b.append(p.text());
        }
        return b.toString();
    }

    /**
     * A regular expression, found anywhere in a line, at most about {@code maxLength} characters
     * long, from piece {@code from} on: the pieces beyond the length are left out (what is left
     * still finds the line) and a long literal is cut. The general one finds every line with this
     * masked text; a plain one ({@link Piece#regex}) finds this line and reads better.
     */
    public String regex(int from, int maxLength, boolean plain) {
        StringBuilder b = new StringBuilder();
        List<Piece> kept = pieces.subList(from, pieces.size());
        for (Piece p : kept) {
            String r = p.regex(plain);
            if (b.length() + r.length() > maxLength) {
                if (p.kind() == Kind.LITERAL && b.length() < maxLength) {
                    b.append(PatternText.escape(cut(p.original(), maxLength - b.length())));
                }
                break;
            }
            b.append(r);
        }
        String r = b.toString();
        // a trailing space would demand whitespace after the part kept
        for (String space : List.of(Kind.SPACE.regex, " ")) {
            if (r.endsWith(space)) {
                return r.substring(0, r.length() - space.length());
            }
        }
        return r;
    }

    /** The index of the piece where {@code offset} of {@link #text()} falls, or -1 past the end. */
    public int pieceAt(int offset) {
        int pos = 0;
        for (int i = 0; i < pieces.size(); i++) {
            int len = pieces.get(i).text().length();
            if (offset < pos + len) {
                return i;
            }
            pos += len;
        }
        return -1;
    }

    /** The offset in {@link #text()} where piece {@code index} starts. */
    public int offsetOf(int index) {
        int pos = 0;
        for (Piece p : pieces.subList(0, index)) {
            pos += p.text().length();
        }
        return pos;
    }

    /** This line with the text of piece {@code index} starting at its {@code skip}-th character (a literal only). */
    public MaskedLine dropFirst(int index, int skip) {
        List<Piece> rest = new ArrayList<>(pieces.subList(index, pieces.size()));
        if (skip > 0 && !rest.isEmpty()) {
            rest.set(0, new Piece(Kind.LITERAL, rest.get(0).original().substring(skip)));
        }
        return new MaskedLine(rest);
    }

    /** The first characters of {@code s}, about {@code room} escaped characters long, never splitting a surrogate pair. */
    private static String cut(String s, int room) {
        int n = Math.min(s.length(), Math.max(0, room / 2));
        if (n > 0 && n < s.length() && Character.isHighSurrogate(s.charAt(n - 1))) {
            n--;
        }
        return s.substring(0, n);
    }

    private static Kind kindOf(Matcher m) {
        for (int i = 0; i < MASKS.size(); i++) {
            if (m.group("m" + i) != null) {
                return MASKS.get(i).kind();
            }
        }
        throw new IllegalStateException("a match of no mask");
    }

    private static String alternation() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < MASKS.size(); i++) {
            parts.add("(?<m" + i + ">" + MASKS.get(i).regex() + ")");
        }
        return String.join("|", parts);
    }
}
