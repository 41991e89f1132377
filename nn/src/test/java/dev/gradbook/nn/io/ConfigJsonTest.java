package dev.gradbook.nn.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigJsonTest {
    enum Norm { PRE, POST }

    record Shape(int width, long steps, float dropout, double lr, boolean bias, String name, Norm norm) {
        Shape {
            if (width <= 0) {
                throw new IllegalArgumentException("Shape: width must be positive, got " + width);
            }
        }
    }

    @Test
    void writesEveryComponentByNameAndReadsItBack() {
        Shape s = new Shape(64, 10_000_000_000L, 0.1f, 3e-4, true, "tiny \"one\"", Norm.POST);
        String json = ConfigJson.write(s);
        assertEquals("{\"width\":64,\"steps\":10000000000,\"dropout\":0.1,\"lr\":3.0E-4,\"bias\":true,"
                + "\"name\":\"tiny \\\"one\\\"\",\"norm\":\"POST\"}", json);
        assertEquals(s, ConfigJson.read(json, Shape.class, "f.safetensors"));
    }

    @Test
    void namesTheMissingTheUnknownAndTheMistypedMember() {
        String missing = "{\"width\":64,\"steps\":1,\"dropout\":0,\"lr\":0,\"bias\":true,\"name\":\"x\"}";
        assertMessage(missing, "has no 'norm'");
        String unknown = missing.replace("}", ",\"norm\":\"PRE\",\"depth\":3}");
        assertMessage(unknown, "no component 'depth'");
        assertMessage(missing.replace("64", "6.5").replace("}", ",\"norm\":\"PRE\"}"), "Shape.width is 6.5");
        assertMessage(missing.replace("}", ",\"norm\":\"MID\"}"), "Shape.norm is MID");
        assertMessage(missing.replace("64", "3000000000").replace("}", ",\"norm\":\"PRE\"}"), "32-bit");
        assertMessage("[1]", "not a JSON object");
        assertMessage("{", "not valid JSON");
    }

    @Test
    void aComponentAddedLaterReadsItsGivenValueFromAnOlderFileAndOnlyThatOne() {
        String old = "{\"width\":64,\"steps\":1,\"dropout\":0,\"lr\":0,\"bias\":true,\"name\":\"x\"}";
        java.util.Map<String, Object> addedLater = java.util.Map.of("norm", Norm.PRE);
        assertEquals(new Shape(64, 1, 0f, 0, true, "x", Norm.PRE), ConfigJson.read(old, Shape.class, "f", addedLater));
        String newer = old.replace("}", ",\"norm\":\"POST\"}");
        assertEquals(Norm.POST, ConfigJson.read(newer, Shape.class, "f", addedLater).norm());
        String noWidth = old.replace("\"width\":64,", "");
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigJson.read(noWidth, Shape.class, "f", addedLater));
        assertTrue(e.getMessage().contains("has no 'width'"), e.getMessage());
    }

    @Test
    void theRecordsOwnChecksStillApply() {
        String json = ConfigJson.write(new Shape(1, 1, 0f, 0, false, "", Norm.PRE)).replace("\"width\":1", "\"width\":0");
        assertMessage(json, "width must be positive");
    }

    private static void assertMessage(String json, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.read(json, Shape.class, "f.safetensors"));
        assertTrue(e.getMessage().startsWith("f.safetensors: ") && e.getMessage().contains(part), e.getMessage());
    }
}
