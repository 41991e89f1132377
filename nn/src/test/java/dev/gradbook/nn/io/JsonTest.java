package dev.gradbook.nn.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void parsesTheJsonValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -20, 0, 2.5e3], \"s\": \"x\\\"\\\\\\n\\u00e9\\/\", \"t\": true, \"n\": null} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", List.of(1L, -20L, 0L, 2500.0));
        expected.put("s", "x\"\\\né/");
        expected.put("t", true);
        expected.put("n", null);
        assertEquals(expected, v);
    }

    @Test
    void rejectsWhatStrictJsonForbids() {
        for (String bad : new String[] {"{\"a\":1,}", "[1,]", "01", "-", "1.", "{'a':1}", "{\"a\" 1}", "\"tab\there\"",
                "\"\\x\"", "\"\\u00\uFF10\uFF10\"", "tru", "[1 2]", "{\"a\":1}{", "99999999999999999999", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid JSON at character"), e.getMessage());
        }
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name \"q\"", List.of(1L, 2L));
        value.put("text", "tab\t, newline\n, bell\u0007, é");
        value.put("empty", Map.of());
        String text = Json.write(value);
        assertEquals("{\"name \\\"q\\\"\":[1,2],\"text\":\"tab\\t, newline\\n, bell\\u0007, é\",\"empty\":{}}", text);
        assertEquals(value, Json.parse(text));
    }

    @Test
    void writesFloatsThatReadBackToTheSameFloat() {
        for (float f : new float[] {0.1f, 1e-5f, -3.25f, 1.17549435E-38f, 3.4028235e38f}) {
            Object back = Json.parse(Json.write(List.of(f)));
            assertEquals(f, (float) (double) (Double) ((List<?>) back).get(0), "float " + f);
        }
        assertEquals("[0.3]", Json.write(List.of(0.3)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Float.NaN)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.POSITIVE_INFINITY)));
    }
}
