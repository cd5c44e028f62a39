package dev.medic.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A journal's lines as JSON trees, for tests that check what is on disk field by field, whatever the events make of it. */
public final class JournalLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalLines() {
    }

    public static List<JsonNode> read(Path journal) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        // bytes that are not UTF-8 are replaced, as the readers replace them
        for (String line : new String(Files.readAllBytes(journal), StandardCharsets.UTF_8).lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readTree(line));
            } catch (IOException torn) {
                // the last line of a killed supervisor's journal; the readers skip it too
            }
        }
        return out;
    }
}
