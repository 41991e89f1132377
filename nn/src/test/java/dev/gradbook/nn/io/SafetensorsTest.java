package dev.gradbook.nn.io;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {

    /** A safetensors file laid out by hand: the header length as 8 little-endian bytes, the header, the data. */
    static byte[] layout(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = json.length;
        for (int i = 0; i < 8; i++) {
            out.write((int) (n >>> (8 * i)) & 0xFF);
        }
        out.writeBytes(json);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static int[] bits(Tensor t) {
        float[] v = t.data();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    @Test
    void roundTripKeepsNamesShapesBitsAndMetadata(@TempDir Path dir) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fc.weight", Tensor.of(new float[] {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, 1e-45f, -3e38f}, 2, 3));
        tensors.put("scalar", Tensor.scalar(42.25f));
        tensors.put("empty", Tensor.zeros(0));
        tensors.put("no rows", Tensor.zeros(0, 4));
        tensors.put("cube \"quoted\" é", Tensor.arange(24).reshape(2, 3, 4));
        Map<String, String> metadata = Map.of("step", "100", "note", "line\nbreak, \"quotes\" and ünïcödé");
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(file, tensors, metadata);

        Safetensors.Contents loaded = Safetensors.load(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(loaded.tensors().keySet()), "file order is kept");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor back = loaded.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), back.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue()), bits(back), e.getKey());
        }
        assertEquals(metadata, loaded.metadata());
    }

    @Test
    void writerProducesTheReferenceLayout(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.safetensors");
        Safetensors.save(file, Map.of("a", Tensor.vector(1f, -2.5f)), Map.of("k", "v"));
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8); // the reference pads to 8 bytes
        // 1.0f = 0x3F800000 and -2.5f = 0xC0200000, written least significant byte first
        byte[] data = {0x00, 0x00, (byte) 0x80, 0x3F, 0x00, 0x00, 0x20, (byte) 0xC0};
        assertArrayEquals(layout(padded, data), Files.readAllBytes(file));
        assertEquals(0, (8 + padded.length()) % 8);
    }

    @Test
    void readsAFileLaidOutByHand(@TempDir Path dir) throws IOException {
        // two tensors stored in the opposite order of the header, no metadata, extra whitespace
        String header = "{ \"b\" : {\"dtype\":\"F32\", \"shape\":[], \"data_offsets\":[8,12]},\n"
                + "  \"a\" : {\"shape\":[1,2], \"dtype\":\"F32\", \"data_offsets\":[0,8]} }";
        byte[] data = {
            0x00, 0x00, (byte) 0x80, 0x3F,        // a[0,0] = 1.0   (0x3F800000)
            0x00, 0x00, 0x20, (byte) 0xC0,        // a[0,1] = -2.5  (0xC0200000)
            (byte) 0xDB, 0x0F, 0x49, 0x40};       // b = 3.1415927  (0x40490FDB)
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, layout(header, data));
        Safetensors.Contents c = Safetensors.load(file);
        assertEquals(List.of("b", "a"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {1, 2}, c.tensors().get("a").shape());
        assertArrayEquals(new float[] {1f, -2.5f}, c.tensors().get("a").data());
        assertEquals(0, c.tensors().get("b").dim());
        assertEquals((float) Math.PI, c.tensors().get("b").item());
        assertTrue(c.metadata().isEmpty());
    }

    @Test
    void halfPrecisionBitPatterns() {
        assertEquals(1f, Dtype.halfToFloat(0x3C00));
        assertEquals(-2f, Dtype.halfToFloat(0xC000));
        assertEquals(65504f, Dtype.halfToFloat(0x7BFF), "largest finite half");
        assertEquals(0x1p-14f, Dtype.halfToFloat(0x0400), "smallest normal");
        assertEquals(0x1p-24f, Dtype.halfToFloat(0x0001), "smallest subnormal");
        assertEquals(1023 * 0x1p-24f, Dtype.halfToFloat(0x03FF), "largest subnormal");
        assertEquals(0.333251953125f, Dtype.halfToFloat(0x3555), "1/3 rounded to half: 1365/4096");
        assertEquals(Float.POSITIVE_INFINITY, Dtype.halfToFloat(0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, Dtype.halfToFloat(0xFC00));
        assertTrue(Float.isNaN(Dtype.halfToFloat(0x7E00)));
        assertTrue(Float.isNaN(Dtype.halfToFloat(0x7C01)), "any non-zero fraction with exponent 31");
        assertEquals(0x80000000, Float.floatToRawIntBits(Dtype.halfToFloat(0x8000)), "-0 keeps its sign");
    }

    @Test
    void bfloat16BitPatterns() {
        assertEquals(1f, Dtype.bfloat16ToFloat(0x3F80));
        assertEquals(-3f, Dtype.bfloat16ToFloat(0xC040));
        assertEquals(3.140625f, Dtype.bfloat16ToFloat(0x4049), "pi in bfloat16: 1.5703125 * 2");
        assertEquals(0x1p-133f, Dtype.bfloat16ToFloat(0x0001), "smallest subnormal: 2^-126 * 2^-7");
        assertEquals(Float.POSITIVE_INFINITY, Dtype.bfloat16ToFloat(0x7F80));
        assertEquals(Float.NEGATIVE_INFINITY, Dtype.bfloat16ToFloat(0xFF80));
        assertTrue(Float.isNaN(Dtype.bfloat16ToFloat(0x7FC0)));
    }

    @Test
    void readsF16AndBF16Tensors(@TempDir Path dir) throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,1],\"data_offsets\":[8,12]}}";
        byte[] data = {
            0x00, 0x3C, 0x00, (byte) 0xC0, 0x01, 0x00, 0x00, 0x7C,   // F16: 1, -2, 2^-24, +inf
            (byte) 0x80, 0x3F, 0x49, 0x40};                         // BF16: 1, 3.140625
        Path file = dir.resolve("half.safetensors");
        Files.write(file, layout(header, data));
        Map<String, Tensor> t = Safetensors.loadTensors(file);
        assertArrayEquals(new float[] {1, -2, 0x1p-24f, Float.POSITIVE_INFINITY}, t.get("h").data());
        assertArrayEquals(new int[] {2, 1}, t.get("b").shape());
        assertArrayEquals(new float[] {1, 3.140625f}, t.get("b").data());
    }
}
