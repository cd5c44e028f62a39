package dev.medic.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A training log that is hard to cut into ranges: CRLF lines, tqdm redraws ended by a lone
 * {@code \r}, lines longer than the line limit (one with a failure in its last piece), and failure
 * lines planted across, at and just before multiples of a range size. It knows the line number of
 * each planted line, counted here (each {@code \n}, {@code \r\n} or lone {@code \r} ends a line),
 * not by the splitter under test.
 */
public final class TrickyLog {
    /** A planted line: its 1-based line number and its text. */
    public record Planted(long lineNo, String text) {
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Planted> planted = new ArrayList<>();
    private final Random random = new Random(7);
    private final int maxLine;
    private long lines;

    public TrickyLog(int maxLine) {
        this.maxLine = maxLine;
    }

    /**
     * Healthy noise between planted failures: for each multiple {@code k * rangeBytes} up to
     * {@code ranges}, a failure line (cycling through {@code failures}) that crosses the multiple,
     * starts at it, or ends right before it, then a few noise lines.
     */
    public static TrickyLog build(int maxLine, int rangeBytes, int ranges, List<String> failures) {
        TrickyLog log = new TrickyLog(maxLine);
        for (int k = 1; k <= ranges; k++) {
            log.noise(1 + k % 4);
            String failure = failures.get(k % failures.size());
            long boundary = (long) k * rangeBytes;
            long start = switch (k % 3) {
                case 0 -> boundary - failure.length() / 2; // crosses the boundary
                case 1 -> boundary; // starts right at it
                default -> boundary - failure.length() - 1; // its '\n' is the last byte before it
            };
            if (log.padTo(start)) {
                log.plant(failure, k % 2 == 0 ? "\r\n" : "\n");
            }
        }
        log.longLineWithFailure(failures.get(0));
        log.noise(3);
        log.plant(failures.get(failures.size() - 1), ""); // the last line has no terminator
        return log;
    }

    public List<Planted> planted() {
        return List.copyOf(planted);
    }

    public byte[] bytes() {
        return bytes.toByteArray();
    }

    public Path write(Path file) throws IOException {
        return Files.write(file, bytes());
    }

    private void noise(int count) {
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(4)) {
                case 0 -> line("step " + lines + " loss " + random.nextInt(9000) + " lr 3e-4", "\n");
                case 1 -> line("[INFO] rank 0 step=" + lines + " throughput 1234.5", "\r\n");
                case 2 -> {
                    // a tqdm bar: redraws end with a lone \r, the last with \n
                    int redraws = 1 + random.nextInt(3);
                    for (int r = 0; r < redraws; r++) {
                        line(" " + (10 * r) + "%|" + "#".repeat(r) + "| " + r + "/10", r + 1 < redraws ? "\r" : "\n");
                    }
                }
                default -> line("x".repeat(maxLine * 2 + random.nextInt(maxLine)), "\n"); // over-long, healthy
            }
        }
    }

    /** Adds a healthy line so that the next line starts at {@code pos}; false when that cannot be done. */
    private boolean padTo(long pos) {
        long gap = pos - bytes.size();
        if (gap < 2) {
            return false;
        }
        line(".".repeat((int) gap - 1), "\n");
        return true;
    }

    /** An over-long line whose failure text lies in its last piece, after the limit. */
    private void longLineWithFailure(String failure) {
        plant("y".repeat(maxLine + 5) + " " + failure, "\n");
    }

    private void plant(String text, String terminator) {
        planted.add(new Planted(lines + 1, text));
        line(text, terminator);
    }

    private void line(String text, String terminator) {
        bytes.writeBytes((text + terminator).getBytes(StandardCharsets.UTF_8));
        lines++;
    }
}
