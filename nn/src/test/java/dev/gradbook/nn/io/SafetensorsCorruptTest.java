package dev.gradbook.nn.io;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.gradbook.nn.io.SafetensorsTest.layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed or hostile file is refused with a message naming the file and the problem. */
class SafetensorsCorruptTest {
    @TempDir
    Path dir;

    private String problem(byte[] bytes) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes);
        String message = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(file)).getMessage();
        String prefix = "safetensors file " + file + ": ";
        assertTrue(message.startsWith(prefix), message);
        return message.substring(prefix.length());
    }

    private String problem(String header, int dataBytes) throws IOException {
        return problem(layout(header, new byte[dataBytes]));
    }

    private static String f32(String name, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void lengthField() throws IOException {
        assertEquals("the file has 5 bytes, fewer than the 8 of the header length", problem(new byte[5]));
        byte[] tooLong = layout("{}", new byte[0]);
        tooLong[0] = 100; // claims a 100-byte header in a 10-byte file
        assertEquals("the header length 100 exceeds the file size 10", problem(tooLong));
        byte[] negative = layout("{}", new byte[0]);
        negative[7] = (byte) 0xFF; // beyond 2^63 as an unsigned number
        assertTrue(problem(negative).startsWith("the header length 18374686479671623682 exceeds"));
    }

    @Test
    void absurdHeaderLengthIsRefusedBeforeReading() throws IOException {
        // a sparse file big enough to hold the claimed header: the limit, not the size, stops it
        Path file = dir.resolve("huge.safetensors");
        long claimed = Safetensors.MAX_HEADER_BYTES + 1;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(claimed + 8);
            raf.seek(0);
            for (int i = 0; i < 8; i++) {
                raf.write((int) (claimed >>> (8 * i)) & 0xFF);
            }
        }
        String message = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(file)).getMessage();
        assertTrue(message.endsWith("the header length " + claimed + " is over the limit of " + Safetensors.MAX_HEADER_BYTES
                + " bytes (Safetensors.MAX_HEADER_BYTES)"), message);
    }

    @Test
    void badJson() throws IOException {
        assertTrue(problem("{\"a\": {", 0).startsWith("invalid JSON at character 7"));
        assertEquals("the header is not a JSON object", problem("[1, 2]", 0));
        assertTrue(problem("{\"a\":1} x", 0).contains("after the end of the value"));
        assertTrue(problem("{" + f32("a", "[1]", 0, 4) + "," + f32("a", "[1]", 4, 8) + "}", 8)
                .contains("duplicate key 'a'"));
        assertTrue(problem("{\"a\":" + "[".repeat(10_000), 0).contains("nested deeper than"));
        byte[] notUtf8 = layout("{\"\u00e9\":1}", new byte[0]);
        notUtf8[11] = (byte) 0xFF;
        assertEquals("the header is not valid UTF-8", problem(notUtf8));
    }

    @Test
    void entries() throws IOException {
        String skip = "; Safetensors.load(file, Safetensors.READABLE) skips such tensors";
        assertEquals("tensor 'a': unknown dtype 'F99'" + skip,
                problem("{\"a\":{\"dtype\":\"F99\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'a': dtype U16 is not supported (Gradbook reads [F64, F32, F16, BF16, I64, I32, I16, I8, "
                + "U8, BOOL])" + skip, problem("{\"a\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2));
        assertTrue(problem("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 0).contains("exactly \"dtype\""));
        assertTrue(problem("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4)
                .contains("exactly \"dtype\""));
        assertEquals("tensor 'a': shape holds 1.5, not an integer", problem("{" + f32("a", "[1.5]", 0, 4) + "}", 4));
        assertEquals("tensor 'a': negative dimension in shape [2, -1]", problem("{" + f32("a", "[2,-1]", 0, 4) + "}", 4));
        assertEquals("metadata 'k' is not a string", problem("{\"__metadata__\":{\"k\":1}}", 0));
    }

    @Test
    void shapeAndByteCountMustAgree() throws IOException {
        assertEquals("tensor 'a': shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] hold 8",
                problem("{" + f32("a", "[3]", 0, 8) + "}", 8));
        assertEquals("tensor 'a': the element count of shape [2147483647, 2147483647, 2147483647] overflows 64 bits",
                problem("{" + f32("a", "[2147483647,2147483647,2147483647]", 0, 4) + "}", 4));
        assertEquals("tensor 'a': shape [65536, 65536] has 4294967296 elements, more than a Java array holds",
                problem("{" + f32("a", "[65536,65536]", 0, 4) + "}", 4));
        assertEquals("tensor 'a': dimension 4294967296 in shape [4294967296, 0] is larger than a Java array holds",
                problem("{" + f32("a", "[4294967296,0]", 0, 0) + "}", 0));
    }

    @Test
    void offsetsMustTileTheDataSection() throws IOException {
        assertEquals("tensor 'a': data_offsets [0, 100] are out of range for a data section of 8 bytes",
                problem("{" + f32("a", "[25]", 0, 100) + "}", 8));
        assertEquals("tensor 'a': data_offsets [8, 4] are out of range for a data section of 8 bytes",
                problem("{" + f32("a", "[1]", 8, 4) + "}", 8));
        assertEquals("tensor 'b' at bytes [4, 12) overlaps the tensor before it, which ends at 8",
                problem("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[2]", 4, 12) + "}", 12));
        assertEquals("bytes [4, 8) of the data section belong to no tensor (the next is 'b')",
                problem("{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[1]", 8, 12) + "}", 12));
        assertEquals("the data section has 12 bytes, but the tensors cover 8",
                problem("{" + f32("a", "[2]", 0, 8) + "}", 12));
        assertEquals("the data section has 4 bytes, but the tensors cover 0", problem("{}", 4));
    }

    @Test
    void reservedNameCannotBeSaved() {
        Path file = dir.resolve("x.safetensors");
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(file, Map.of("__metadata__", Tensor.zeros(1))));
        assertTrue(Files.notExists(file));
    }
}
