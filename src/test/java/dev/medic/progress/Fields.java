package dev.medic.progress;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Compares progress with an expectation written {@code "step=370 total_steps=1000 loss=nan lr=3e-4"}:
 * the keys of {@link Progress#toFields()}, {@code lr} short for {@code learning_rate}.
 */
final class Fields {
    private Fields() {
    }

    /** The expected fields, with whole numbers as Long, other numbers as Double ({@code nan}, {@code inf}, {@code -inf} too). */
    static Map<String, Object> parse(String expected) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String pair : expected.trim().split("\\s+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = pair.startsWith("lr=") ? "learning_rate" : pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            out.put(key, switch (key) {
                case "step", "total_steps", "total_epochs" -> Long.parseLong(value);
                case "throughput_unit" -> value;
                default -> switch (value) {
                    case "nan" -> Double.NaN;
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(value);
                };
            });
        }
        return out;
    }

    static void assertProgress(String expected, Progress actual, String line) {
        assertNotNull(actual, "no progress read from: " + line);
        // Map.equals compares Doubles with Double.equals, so NaN equals NaN
        assertEquals(parse(expected), actual.toFields(), line);
    }
}
