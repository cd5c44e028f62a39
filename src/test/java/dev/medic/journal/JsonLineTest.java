package dev.medic.journal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonLineTest {
    @Test
    void valuesReadAsPlainJavaValuesInTheirOrder() throws Exception {
        Map<String, Object> m = JsonLine.parse("{\"b\":1,\"a\":12345678901,\"big\":123456789012345678901234567890,\"x\":1e-3,"
                + "\"t\":true,\"n\":null,\"l\":[\"s\",2.5,{\"k\":false}]}");
        assertEquals(List.of("b", "a", "big", "x", "t", "n", "l"), List.copyOf(m.keySet()));
        assertEquals(1, m.get("b"));
        assertEquals(12345678901L, m.get("a"));
        assertEquals(new BigInteger("123456789012345678901234567890"), m.get("big"));
        assertEquals(0.001, m.get("x"));
        assertEquals(true, m.get("t"));
        assertEquals(Arrays.asList("s", 2.5, Map.of("k", false)), m.get("l"));
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", "t");
        m.put("event", "backoff");
        m.put("attempt", 2);
        m.put("text", "quote \" tab \t é ✓");
        m.put("list", Arrays.asList(1, null, "x"));
        String line = JsonLine.encode(m);
        assertEquals("{\"ts\":\"t\",\"event\":\"backoff\",\"attempt\":2,\"text\":\"quote \\\" tab \\t é ✓\",\"list\":[1,null,\"x\"]}", line);
        assertEquals(m, JsonLine.parse(line));
    }

    @Test
    void onlyAnObjectIsARecord() throws Exception {
        assertEquals(List.of(1, 2), JsonLine.parseValue("[1,2]"));
        assertThrows(IOException.class, () -> JsonLine.parse("[1,2]"));
        assertThrows(IOException.class, () -> JsonLine.parse(""));
        assertThrows(IOException.class, () -> JsonLine.parse("{\"a\":"));
    }
}
