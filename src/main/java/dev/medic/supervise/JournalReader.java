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
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readTree(line));
                } catch (JsonProcessingException e) {
                    // only the last record can be incomplete; anything after it would be read anyway
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
