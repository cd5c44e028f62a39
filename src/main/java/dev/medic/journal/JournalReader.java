package dev.medic.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/** Reads journals back. A torn last line (the supervisor was killed mid-write) is skipped, not fatal. */
public final class JournalReader {
    private JournalReader() {
    }

    public static List<Event> read(Path journal) throws IOException {
        return read(journal, line -> {
        });
    }

    /**
     * As {@link #read(Path)}, telling {@code damaged} the number (from 1) of each line that is not
     * a JSON record, for a reader that says what it skipped.
     */
    public static List<Event> read(Path journal, IntConsumer damaged) throws IOException {
        return objects(journal, damaged).stream().map(JournalCodec::decode).toList();
    }

    /** The JSON objects of a file of one a line (a journal, {@code sweep.jsonl}), each as a map in its order. */
    public static List<Map<String, Object>> objects(Path file, IntConsumer damaged) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        // bytes that are not UTF-8 (a damaged file) are replaced rather than fatal
        CharsetDecoder lenient = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), lenient))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JsonLine.parse(line));
                } catch (IOException e) {
                    // only the last record can be incomplete; anything after it would be read anyway
                    damaged.accept(n);
                }
            }
        }
        return out;
    }

    /** Run folders under {@code runsDir} that have a journal, oldest first (run ids sort by time). */
    public static List<Path> runs(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runsDir)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("journal.jsonl")))
                    .sorted()
                    .toList();
        }
    }
}
