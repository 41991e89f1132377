package dev.gradbook.nn.io;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.gradbook.nn.io.SafetensorsTest.layout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every dtype Gradbook reads, the ones it writes, and the ones a caller skips. */
class SafetensorsDtypesTest {
    @TempDir
    Path dir;

    /** Little-endian bytes, written value by value. */
    private static final class Data {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Data put(int bytes, long... values) {
            ByteBuffer b = ByteBuffer.allocate(bytes * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                switch (bytes) {
                    case 8 -> b.putLong(v);
                    case 4 -> b.putInt((int) v);
                    case 2 -> b.putShort((short) v);
                    default -> b.put((byte) v);
                }
            }
            out.writeBytes(b.array());
            return this;
        }
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void readsEveryDtype(@TempDir Path dir) throws IOException {
        Data d = new Data()
                .put(8, Double.doubleToLongBits(1.5), Double.doubleToLongBits(1e300), Double.doubleToLongBits(0.1)) // [0, 24)
                .put(8, -5, Integer.MAX_VALUE, Integer.MIN_VALUE)                                                // [24, 48)
                .put(4, -7, 123456789)                                                                            // [48, 56)
                .put(2, -32768, 32767)                                                                            // [56, 60)
                .put(1, -128, 127, 255, 0, 1, 1);                                         // I8 [60, 62), U8 [62, 63), BOOL [63, 66)
        String header = "{" + String.join(",", entry("f64", "F64", "[3]", 0, 24), entry("i64", "I64", "[3,1]", 24, 48),
                entry("i32", "I32", "[2]", 48, 56), entry("i16", "I16", "[2]", 56, 60), entry("i8", "I8", "[2]", 60, 62),
                entry("u8", "U8", "[]", 62, 63), entry("bool", "BOOL", "[3]", 63, 66)) + "}";
        Path file = dir.resolve("all.safetensors");
        Files.write(file, layout(header, d.out.toByteArray()));

        Safetensors.Contents c = Safetensors.load(file);
        assertEquals(List.of("f64"), List.copyOf(c.tensors().keySet()));
        // 1e300 is beyond float32: infinity; 0.1 rounds to the nearest float32, 0.1f
        assertArrayEquals(new float[] {1.5f, Float.POSITIVE_INFINITY, 0.1f}, c.tensors().get("f64").data());
        assertEquals(List.of("i64", "i32", "i16", "i8", "u8", "bool"), List.copyOf(c.intTensors().keySet()));
        assertArrayEquals(new int[] {-5, Integer.MAX_VALUE, Integer.MIN_VALUE}, c.intTensors().get("i64").data());
        assertArrayEquals(new int[] {3, 1}, c.intTensors().get("i64").shape());
        assertArrayEquals(new int[] {-7, 123456789}, c.intTensors().get("i32").data());
        assertArrayEquals(new int[] {-32768, 32767}, c.intTensors().get("i16").data());
        assertArrayEquals(new int[] {-128, 127}, c.intTensors().get("i8").data());
        assertEquals(255, c.intTensors().get("u8").item());
        assertArrayEquals(new int[] {0, 1, 1}, c.intTensors().get("bool").data());
    }

    private String problem(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        String message = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(file)).getMessage();
        assertTrue(message.startsWith("safetensors file " + file + ": "), message);
        return message;
    }

    @Test
    void integersBeyondInt32AndBadBooleansAreErrorsNamingTensorAndFile() throws IOException {
        Path file = dir.resolve("big.safetensors");
        byte[] big = layout("{" + entry("position_ids", "I64", "[2]", 0, 16) + "}", new Data().put(8, 7, 1L << 32).out.toByteArray());
        assertTrue(problem(file, big).endsWith("tensor 'position_ids' (I64): value 4294967296 at index 1 does not fit in "
                + "32 bits (integer tensors load as int32 IntTensors)"));
        byte[] bool = layout("{" + entry("mask", "BOOL", "[2]", 0, 2) + "}", new byte[] {1, 2});
        assertTrue(problem(file, bool).endsWith("tensor 'mask' (BOOL): BOOL byte 2 at index 1 is neither 0 nor 1"));
    }

    @Test
    void unreadableDtypesCanBeSkipped() throws IOException {
        // a U16 tensor, a dtype from a later version of the format, and an F32 tensor between them
        String header = "{" + String.join(",", entry("u16", "U16", "[2]", 0, 4), entry("w", "F32", "[1]", 4, 8),
                entry("future", "F4", "[6]", 8, 11)) + "}";
        byte[] data = new Data().put(2, 1, 2).put(4, Float.floatToIntBits(2.5f)).put(1, 0, 0, 0).out.toByteArray();
        Path file = dir.resolve("mixed.safetensors");
        assertTrue(problem(file, layout(header, data)).contains("tensor 'u16': dtype U16 is not supported"));

        Safetensors.Contents readable = Safetensors.load(file, Safetensors.READABLE);
        assertEquals(List.of("w"), List.copyOf(readable.tensors().keySet()));
        assertArrayEquals(new float[] {2.5f}, readable.tensors().get("w").data());
        assertTrue(readable.intTensors().isEmpty());

        // the filter sees name, dtype and shape before any data is read
        List<String> seen = new java.util.ArrayList<>();
        Safetensors.load(file, info -> seen.add(info.name() + " " + info.dtype() + " " + java.util.Arrays.toString(info.shape()))
                && info.name().equals("w"));
        assertEquals(List.of("u16 U16 [2]", "w F32 [1]", "future F4 [6]"), seen);

        // a skipped tensor's byte range is still checked: for a known dtype its length too
        String wrongLength = "{" + String.join(",", entry("u16", "U16", "[3]", 0, 4), entry("w", "F32", "[1]", 4, 8)) + "}";
        Files.write(file, layout(wrongLength, Arrays8.first(data, 8)));
        var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(file, Safetensors.READABLE));
        assertTrue(e.getMessage().contains("shape [3] of U16 needs 6 bytes"), e.getMessage());
    }

    /** A prefix of an array. */
    private static final class Arrays8 {
        static byte[] first(byte[] a, int n) {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    @Test
    void floatAndIntegerTensorsRoundTripInOneFile() throws IOException {
        Map<String, Tensor> floats = new LinkedHashMap<>();
        floats.put("wte.weight", Tensor.of(new float[] {0.5f, -1f, 3f, 1e-3f}, 2, 2));
        Map<String, IntTensor> ints = new LinkedHashMap<>();
        ints.put("position_ids", IntTensor.of(new int[] {0, 1, 2, Integer.MIN_VALUE, Integer.MAX_VALUE, -1}, 1, 6));
        ints.put("num_batches_tracked", IntTensor.scalar(12));
        Path file = dir.resolve("mixed.safetensors");
        Safetensors.save(file, new Safetensors.Contents(floats, ints, Map.of("format", "pt")));

        String header = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1,6],\"data_offsets\":[16,64]}"), header);
        Safetensors.Contents back = Safetensors.load(file);
        assertArrayEquals(floats.get("wte.weight").data(), back.tensors().get("wte.weight").data());
        assertEquals(ints.keySet(), back.intTensors().keySet());
        ints.forEach((name, t) -> {
            assertArrayEquals(t.shape(), back.intTensors().get(name).shape(), name);
            assertArrayEquals(t.data(), back.intTensors().get(name).data(), name);
        });

        var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(file,
                new Safetensors.Contents(Map.of("x", Tensor.scalar(1)), Map.of("x", IntTensor.scalar(1)), Map.of())));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void floatsCanBeWrittenAsF16BF16OrF64() throws IOException {
        // 1/3 is 0x3555 in F16 (1365/4096) and 0x3EAB in BF16 (171/512); 1e5 overflows F16; 1e-9 underflows it
        float[] values = {1f / 3, -2f, 1e5f, 1e-9f, 0f};
        Path file = dir.resolve("half.safetensors");
        for (Dtype dtype : List.of(Dtype.F16, Dtype.BF16, Dtype.F64)) {
            Safetensors.save(file, new Safetensors.Contents(Map.of("v", Tensor.vector(values)), Map.of()), dtype);
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            assertTrue(text.contains("\"dtype\":\"" + dtype + "\""), text);
            float[] back = Safetensors.load(file).tensors().get("v").data();
            float[] expected = switch (dtype) {
                case F16 -> new float[] {1365f / 4096, -2f, Float.POSITIVE_INFINITY, 0f, 0f};
                case BF16 -> new float[] {171f / 512, -2f, 99840f, 0x1.12p-30f, 0f};
                default -> values;
            };
            assertArrayEquals(expected, back, dtype.toString());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(file, new Safetensors.Contents(Map.of(), Map.of()), Dtype.I32));
        assertTrue(e.getMessage().contains("cannot be written as I32"), e.getMessage());
    }

    @Test
    void halfRoundingIsToNearestWithTiesToEven() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Dtype.halfToFloat(h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Dtype.halfToFloat(Dtype.floatToHalf(f))), Integer.toHexString(h));
            } else {
                assertEquals(h, Dtype.floatToHalf(f), "every half survives the round trip: " + Integer.toHexString(h));
            }
        }
        // between neighbours a < b (b may be infinity: the next value beyond 65504 would be 65536),
        // the midpoint goes to the one with an even last bit, anything off the midpoint to the nearer
        for (int h = 0; h < 0x7C00; h++) {
            float a = Dtype.halfToFloat(h);
            float b = h == 0x7BFF ? 65536f : Dtype.halfToFloat(h + 1);
            float mid = (a + b) / 2; // exact: 12 significant bits at most
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, Dtype.floatToHalf(mid), "midpoint above " + Integer.toHexString(h));
            assertEquals(h + 1, Dtype.floatToHalf(Math.nextUp(mid)), Integer.toHexString(h));
            assertEquals(h, Dtype.floatToHalf(Math.nextDown(mid)), Integer.toHexString(h));
            assertEquals(0x8000 | even, Dtype.floatToHalf(-mid), "the sign is kept");
        }
    }

    @Test
    void bfloat16RoundingIsToNearestWithTiesToEven() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Dtype.bfloat16ToFloat(h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Dtype.bfloat16ToFloat(Dtype.floatToBfloat16(f))), Integer.toHexString(h));
            } else {
                assertEquals(h, Dtype.floatToBfloat16(f), Integer.toHexString(h));
            }
        }
        for (int h = 0; h < 0x7F80; h++) {
            float a = Dtype.bfloat16ToFloat(h);
            double b = h == 0x7F7F ? 0x1p128 : Dtype.bfloat16ToFloat(h + 1);
            float mid = (float) ((a + b) / 2); // exact in float: 9 significant bits (below 2^128)
            if (Float.isInfinite(mid)) {
                continue; // the midpoint above the largest bfloat16 is beyond float32 itself
            }
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, Dtype.floatToBfloat16(mid), Integer.toHexString(h));
            assertEquals(h + 1, Dtype.floatToBfloat16(Math.nextUp(mid)), Integer.toHexString(h));
            assertEquals(h, Dtype.floatToBfloat16(Math.nextDown(mid)), Integer.toHexString(h));
        }
        assertEquals(0x7F80, Dtype.floatToBfloat16(Float.MAX_VALUE), "above the largest bfloat16's midpoint: infinity");
    }
}
