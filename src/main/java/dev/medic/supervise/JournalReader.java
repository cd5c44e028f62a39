package dev.medic.supervise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads journals back. A torn last line (the supervisor was killed mid-write) is skipped, not fatal. */
public final class JournalReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalReader() {
    }

    public static List<JsonNode> read(Path journal) throws IOException {
        return read(journal, line -> {
        });
    }

    /**
     * As {@link #read(Path)}, telling {@code damaged} the number (from 1) of each line that is not
     * a JSON record, for a reader that says what it skipped.
     */
    public static List<JsonNode> read(Path journal, java.util.function.IntConsumer damaged) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        // bytes that are not UTF-8 (a damaged file) are replaced rather than fatal
        java.nio.charset.CharsetDecoder lenient = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(journal), lenient))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readTree(line));
                } catch (JsonProcessingException e) {
                    // only the last record can be incomplete; anything after it would be read anyway
                    damaged.accept(n);
                }
            }
        }
        return out;
    }

    /** The texts of a JSON array (argv, names); empty when the field is missing. */
    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
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
