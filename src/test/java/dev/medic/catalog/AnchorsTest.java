package dev.medic.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnchorsTest {
    @Test
    void takesTheLongestRequiredLiteralInLowerCase() {
        assertEquals(List.of("cuda out of memory"), Anchors.derive("CUDA out of memory"));
        assertEquals(List.of("outofmemoryerror"), Anchors.derive("torch\\.(cuda\\.)?OutOfMemoryError"));
        assertEquals(List.of("resource_exhausted: out of memory"), Anchors.derive("RESOURCE_EXHAUSTED: Out of memory"));
    }

    @Test
    void oneAnchorPerAlternative() {
        assertEquals(List.of("no space left", "[errno 28]"), Anchors.derive("No space left|\\[Errno 28\\]"));
    }

    @Test
    void optionalPartsAreNotRequired() {
        // "s?" makes the s optional, so the literal before it ends at "Error"
        assertEquals(List.of("loss"), Anchors.derive("(?i)loss\\s*[:=]\\s*nan"));
        assertEquals(List.of(" error"), Anchors.derive("Errors?:? error"));
    }

    @Test
    void noAnchorWhenAnAlternativeHasNoLiteral() {
        assertTrue(Anchors.derive("\\d+|foo bar").isEmpty());
        assertTrue(Anchors.derive("(a|b)c").isEmpty());
        assertTrue(Anchors.derive("a.b").isEmpty());
    }

    @Test
    void everyLineThePatternMatchesContainsAnAnchor() {
        String[] patterns = {"CUDA out of memory", "torch\\.(cuda\\.)?OutOfMemoryError", "Killed|Bus error",
                "No module named '?([A-Za-z_][\\w.]*)", "\\QOOM when allocating\\E tensor", "loss[=:] *nan"};
        String[] lines = {"RuntimeError: CUDA out of memory. Tried", "torch.OutOfMemoryError: x", "torch.cuda.OutOfMemoryError",
                "Killed", "Bus error (core dumped)", "ModuleNotFoundError: No module named 'cv2'", "No module named yaml",
                "OOM when allocating tensor with shape", "step 3 loss=nan", "loss: nan"};
        for (String p : patterns) {
            List<String> anchors = Anchors.derive(p);
            Pattern re = Pattern.compile(p);
            for (String line : lines) {
                if (re.matcher(line).find()) {
                    String lower = line.toLowerCase();
                    assertTrue(anchors.stream().anyMatch(lower::contains), p + " matched '" + line + "' without anchors " + anchors);
                }
            }
        }
    }
}
