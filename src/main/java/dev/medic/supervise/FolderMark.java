package dev.medic.supervise;

import dev.medic.MedicException;
import dev.medic.Version;
import dev.medic.journal.Event;
import dev.medic.journal.JournalCodec;
import dev.medic.journal.JsonLine;
import dev.medic.util.PrivateFolder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Medic's mark on the folders it resumes, writes into and removes; a folder without it is left
 * alone. A run folder's mark is its journal's first record: medic's {@code run_started}, which
 * carries the journal's {@code format} ({@link #FORMAT}). A journal from before the format
 * version has none there and is format 0, read as before. A sweep folder's mark is
 * {@code medic-sweep.json}, written as the sweep starts (its {@code sweep.jsonl} comes only with
 * the first finished trial); a sweep from before that file is known by a trial run folder under
 * {@code trials/} that carries the run mark, and gets the file when it is resumed. A mark of a
 * newer format than this medic knows is refused: that medic may mean something else by it.
 */
public final class FolderMark {
    /** The format of the journals and sweep marks this medic writes; it reads this one and older ones. */
    public static final int FORMAT = 1;
    public static final String SWEEP_FILE = "medic-sweep.json";
    /** A run_started record longer than this is no journal of medic's (argv and paths stay far below it). */
    private static final int MAX_FIRST_RECORD = 16 << 20;

    private FolderMark() {
    }

    /** Why {@code dir} is not a run folder medic made, or null when it is. */
    public static String notARun(Path dir) {
        Path journal = dir.resolve("journal.jsonl");
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(journal, LinkOption.NOFOLLOW_LINKS)) {
            return "no journal.jsonl";
        }
        Event first;
        try {
            first = JournalCodec.decode(firstLine(journal));
        } catch (IOException e) {
            return "its journal does not start with medic's run_started";
        }
        return notARunStart(first);
    }

    /** Why a journal's first record is not medic's run_started of a format this medic reads, or null when it is. */
    public static String notARunStart(Event first) {
        if (!(first instanceof Event.RunStarted start)) {
            return "its journal does not start with medic's run_started";
        }
        return newer("journal", start.format());
    }

    /** Why {@code dir} is not a sweep folder medic made, or null when it is. */
    public static String notASweep(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return "not a folder";
        }
        Path mark = dir.resolve(SWEEP_FILE);
        if (Files.isRegularFile(mark, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Object format = JsonLine.parse(firstLine(mark)).get("format");
                if (format instanceof Integer || format instanceof Long || format instanceof java.math.BigInteger) {
                    return newer(SWEEP_FILE, format);
                }
            } catch (IOException e) {
                // not medic's: said below
            }
            return SWEEP_FILE + " is not medic's";
        }
        Path trials = dir.resolve("trials");
        if (Files.isDirectory(trials, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(trials)) {
                if (s.anyMatch(t -> !Files.isSymbolicLink(t) && notARun(t) == null)) {
                    return null;
                }
            } catch (IOException e) {
                return "cannot list " + trials + ": " + e.getMessage();
            }
        }
        return "no " + SWEEP_FILE + ", and no run folder of medic's under trials/";
    }

    /** Writes {@code dir}'s sweep mark unless it has one: a new file, never one written over. */
    public static void markSweep(PrivateFolder folder, String sweepId) {
        Path mark = folder.dir().resolve(SWEEP_FILE);
        if (Files.isRegularFile(mark, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("sweep_id", sweepId);
        m.put("medic_version", Version.get());
        m.put("created", Instant.now().toString());
        try (FileChannel ch = folder.createNew(mark)) {
            Channels.newOutputStream(ch).write((JsonLine.encode(m) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw MedicException.badInput("cannot write " + mark + ": " + e.getMessage());
        }
    }

    /** {@code format} as parsed; null when the mark has none (format 0). */
    private static String newer(String what, Object format) {
        if (format == null) {
            return null;
        }
        if (!(format instanceof Integer n) || n < 0) {
            String shown = format instanceof String s ? "\"" + s + "\"" : String.valueOf(format);
            return "its " + what + " has a format medic does not know (" + shown + ")";
        }
        return n > FORMAT ? "it was written by a newer medic (" + what + " format " + n
                + "; this medic reads formats up to " + FORMAT + ")" : null;
    }

    /** The first line of {@code file}; read up to its end only, and at most {@link #MAX_FIRST_RECORD} bytes. */
    private static String firstLine(Path file) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        line.write(chunk, 0, i);
                        return line.toString(StandardCharsets.UTF_8);
                    }
                }
                line.write(chunk, 0, n);
                if (line.size() > MAX_FIRST_RECORD) {
                    throw new IOException("first record too long");
                }
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
