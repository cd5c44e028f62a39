package dev.medic.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.journal.Journal;
import dev.medic.logs.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JournalTest {
    @TempDir
    Path tmp;

    @Test
    void aRecordIsWrittenAsJacksonWritesItsValues() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("argv", List.of("python3", "train.py", "--lr", "3e-4"));
        fields.put("exit_code", 137);
        fields.put("duration_ms", 12_345_678_901L);
        fields.put("share", 0.1 + 0.2);
        fields.put("small", 1.5f);
        fields.put("big", new BigInteger("123456789012345678901234567890"));
        fields.put("exact", new BigDecimal("1.10"));
        fields.put("ok", true);
        fields.put("signal", null);
        fields.put("text", "quote \" backslash \\ tab \t newline \n bell \u0007 é ✓ 𝔘");
        fields.put("nested", Map.of("k", Arrays.asList(1, "two", null, false)));
        fields.put("other", java.time.Duration.ofSeconds(90));
        fields.put("log", Path.of("/runs/r1/attempt-2.log"));
        Path file = Files.createDirectories(tmp.resolve("run")).resolve("journal.jsonl");
        Map<String, Object> rec;
        try (Journal j = new Journal(file, Redactor.fromEnvironments(Map.of(), Map.of()))) {
            rec = j.record("attempt_finished", 2, fields);
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        assertEquals(new ObjectMapper().writeValueAsString(rec), lines.get(0));
        assertEquals("/runs/r1/attempt-2.log", new ObjectMapper().readTree(lines.get(0)).path("log").asText(), "a Path is its text");
    }
}
