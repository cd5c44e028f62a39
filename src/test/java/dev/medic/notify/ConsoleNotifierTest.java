package dev.medic.notify;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleNotifierTest {
    private static Escalation escalation() {
        return new Escalation("20261204-120000-abcd", "gpu-node-7", "python train.py", "import_error",
                List.of("1: ModuleNotFoundError: No module named 'x'"), "the ladder ends in escalation", "install it",
                List.of("attempt 1: import_error -> escalate"), 3000, "/runs/20261204-120000-abcd", List.of());
    }

    @Test
    void everyLineSaysMedicOnce() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new ConsoleNotifier(new PrintStream(buf, true, StandardCharsets.UTF_8)).send(escalation());
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("medic: run 20261204-120000-abcd on gpu-node-7 needs a person", lines.get(0));
        assertTrue(lines.stream().allMatch(l -> l.startsWith("medic: ") && !l.startsWith("medic: medic:")), lines.toString());
    }

    @Test
    void theMessageSentElsewhereStillNamesMedic() {
        // a webhook or chat message has no console prefix: its first line says who speaks
        assertEquals("medic: run 20261204-120000-abcd on gpu-node-7 needs a person", MessageText.plainLines(escalation()).get(0));
    }
}
