package dev.medic.triage;

import dev.medic.logs.Ansi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The line of a log that says best why it failed, and how it was found ({@link Kind}): the last
 * exception line ({@code SomeError: message}, as the catalog's code_bug signature reads it), else
 * the last line that speaks of an error, a fatal condition, a failure or an abort, else the last
 * non-empty line. Only the end of a log is read ({@link #TAIL_BYTES}): that is where a run says
 * why it ended, and a log may be gigabytes.
 */
public record ErrorLine(String text, Kind kind) {
    /** How much of a log's end is read. */
    public static final int TAIL_BYTES = 1 << 20;

    public enum Kind {
        /** The failure's own evidence line in the journal. */
        EVIDENCE("evidence"),
        EXCEPTION("exception line"),
        ERROR("error line"),
        /** No line looks like an error: a signature on this one may match healthy output. */
        LAST("last line"),
        /** The attempt wrote nothing: its exit status is all there is. */
        NO_OUTPUT("no output");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Pattern EXCEPTION = Pattern.compile(
            "(?:^|[\\s\\]>|])(?:[A-Za-z_]\\w*\\.)*[A-Za-z_]\\w*(?:Error|Exception)(?::\\s.*|\\s*)$");
    private static final Pattern ERROR = Pattern.compile(
            "(?i)\\b(?:error|fatal|failed|failure|abort(?:ed|ing)?|panic|segmentation fault|core dumped|terminate called)\\b");

    /** The best line of {@code lines} (the last of each kind wins), or null when all are blank. */
    public static ErrorLine pick(List<String> lines) {
        String error = null;
        String last = null;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = Ansi.strip(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (EXCEPTION.matcher(line).find()) {
                return new ErrorLine(line, Kind.EXCEPTION);
            }
            if (error == null && ERROR.matcher(line).find()) {
                error = line;
            }
            if (last == null) {
                last = line;
            }
        }
        return error != null ? new ErrorLine(error, Kind.ERROR) : last != null ? new ErrorLine(last, Kind.LAST) : null;
    }

    /**
     * The lines of the last {@link #TAIL_BYTES} of a log of {@code size} bytes: a line cut by the
     * start of that window is left out. Lines end at {@code \n}, {@code \r\n} or a lone {@code \r}
     * (a progress bar), as medic splits them; bytes that are not UTF-8 are replaced.
     */
    public static List<String> tailLines(InputStream in, long size) throws IOException {
        long skip = Math.max(0, size - TAIL_BYTES);
        in.skipNBytes(skip);
        String text = new String(in.readNBytes(TAIL_BYTES), StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\r\n|\r|\n", -1));
        return skip > 0 && !lines.isEmpty() ? lines.subList(1, lines.size()) : lines;
    }
}
