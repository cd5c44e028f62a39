package dev.medic.triage;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ErrorLineTest {
    @Test
    void theLastExceptionLineWinsOverLaterErrorWordsAndProgress() {
        ErrorLine l = ErrorLine.pick(List.of("Traceback (most recent call last):", "  File \"x.py\", line 3", "[rank0]: KeyError: 'label'",
                "ERROR: job failed", "  0%|          | 0/3537 [00:01<?, ?it/s]", ""));
        assertEquals(new ErrorLine("[rank0]: KeyError: 'label'", ErrorLine.Kind.EXCEPTION), l);
    }

    @Test
    void withoutAnExceptionTheLastErrorLineThenTheLastLine() {
        assertEquals(new ErrorLine("FATAL: cannot open shard", ErrorLine.Kind.ERROR),
                ErrorLine.pick(List.of("step 1", "FATAL: cannot open shard", "step 2")));
        assertEquals(new ErrorLine("Segmentation fault (core dumped)", ErrorLine.Kind.ERROR),
                ErrorLine.pick(List.of("Segmentation fault (core dumped)", "  ")));
        assertEquals(new ErrorLine("boom", ErrorLine.Kind.LAST), ErrorLine.pick(List.of("step 1", "\u001b[31mboom\u001b[0m", " ")));
        assertNull(ErrorLine.pick(List.of("", "  ")));
    }

    @Test
    void onlyTheTailOfALogIsReadAndItsCutFirstLineIsDropped() throws Exception {
        String head = "RuntimeError: early\n" + "x".repeat(ErrorLine.TAIL_BYTES) + "\n";
        String log = head + "step 9\rdone: failed\r\nlast\n";
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        List<String> lines = ErrorLine.tailLines(new ByteArrayInputStream(bytes), bytes.length);
        assertEquals(List.of("step 9", "done: failed", "last", ""), lines);
        assertEquals(new ErrorLine("done: failed", ErrorLine.Kind.ERROR), ErrorLine.pick(lines));
    }
}
