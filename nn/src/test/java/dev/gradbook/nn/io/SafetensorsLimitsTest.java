package dev.gradbook.nn.io;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.gradbook.nn.io.SafetensorsTest.layout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile files that are valid safetensors: the memory a load needs is bounded (or the file is
 * refused with the limit it broke), invalid Unicode is refused, and messages stay short.
 */
class SafetensorsLimitsTest {
    @TempDir
    Path dir;

    /** Writes a safetensors file whose header is {@code header} (ASCII), streamed so the test needs no big heap. */
    private Path streamed(String name, long headerLength, HeaderWriter header) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (headerLength >>> (8 * i)) & 0xFF);
            }
            BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
            header.write(w);
            w.flush();
        }
        assertEquals(8 + headerLength, Files.size(file), "the test wrote the header length it claimed");
        return file;
    }

    interface HeaderWriter {
        void write(BufferedWriter w) throws IOException;
    }

    /** The header entry of an empty F32 tensor "t0000000", "t0000001", ...: 59 bytes each. */
    private static String emptyTensor(int i) {
        String digits = Integer.toString(i);
        return "\"t" + "0".repeat(7 - digits.length()) + digits + "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}";
    }

    private Path emptyTensors(String name, int n) throws IOException {
        long length = 2 + (long) n * emptyTensor(0).length() + (n - 1);
        return streamed(name, length, w -> {
            w.write('{');
            for (int i = 0; i < n; i++) {
                w.write(i == 0 ? "" : ",");
                w.write(emptyTensor(i));
            }
            w.write('}');
        });
    }

    private String problem(Path file) {
        String message = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(file)).getMessage();
        assertTrue(message.startsWith("safetensors file " + file + ": "), message);
        return message;
    }

    @Test
    void aMillionEmptyTensorsAreRefusedByTheHeaderLimit() throws IOException {
        Path file = emptyTensors("million.safetensors", 1_000_000);
        assertEquals(60_000_009, Files.size(file), "the 59 MB file of the issue");
        assertTrue(problem(file).endsWith("the header length 60000001 is over the limit of 16777216 bytes "
                + "(Safetensors.MAX_HEADER_BYTES)"));
    }

    @Test
    void aHugeMetadataStringIsRefusedByTheHeaderLimit() throws IOException {
        long n = 99_000_000;
        String open = "{\"__metadata__\":{\"note\":\"";
        String close = "\"}}";
        Path file = streamed("metadata.safetensors", open.length() + n + close.length(), w -> {
            w.write(open);
            char[] block = "x".repeat(1 << 16).toCharArray();
            for (long written = 0; written < n; written += block.length) {
                w.write(block, 0, (int) Math.min(block.length, n - written));
            }
            w.write(close);
        });
        assertTrue(problem(file).contains("is over the limit of 16777216 bytes"));
    }

    @Test
    void tooManyEntriesWithinTheLengthLimitAreRefused() throws IOException {
        Path file = emptyTensors("many.safetensors", Safetensors.MAX_ENTRIES + 1);
        assertTrue(Files.size(file) < Safetensors.MAX_HEADER_BYTES);
        assertTrue(problem(file).endsWith("the header holds more than 100000 tensors and metadata keys, the limit "
                + "(Safetensors.MAX_ENTRIES)"));
    }

    @Test
    void theLargestAcceptedHeadersLoadInA256MegabyteHeap() throws Exception {
        // the worst cases within the limits: the most entries, and the longest string, made of
        // characters beyond Latin-1 so that Java stores it with two bytes per character
        Path many = emptyTensors("most-entries.safetensors", Safetensors.MAX_ENTRIES);
        String open = "{\"__metadata__\":{\"note\":\"";
        long chars = (Safetensors.MAX_HEADER_BYTES - open.length() - 3) / 3; // U+4E00 is 3 bytes of UTF-8
        Path longest = dir.resolve("longest-string.safetensors");
        StringBuilder text = new StringBuilder(open).append("\u4e00".repeat((int) chars)).append("\"}}");
        Files.write(longest, layout(text.toString(), new byte[0]));
        text = null;
        assertTrue(Files.size(longest) > Safetensors.MAX_HEADER_BYTES - 8);

        // a fresh JVM with -Xmx256m loads both (the classpath is this test's)
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LoadProbe.class.getName(), many.toString(), longest.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe finished");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertEquals("100000 0\n0 " + chars + "\n", output);
    }

    /** Loads each file named on the command line; prints its tensor count and its metadata length. */
    static final class LoadProbe {
        public static void main(String[] args) {
            for (String f : args) {
                Safetensors.Contents c = Safetensors.load(Path.of(f));
                System.out.print(c.tensors().size() + " " + c.metadata().values().stream().mapToInt(String::length).sum()
                        + "\n");
            }
        }
    }

    @Test
    void loneSurrogatesAreRefusedOnReading() throws IOException {
        Path file = dir.resolve("surrogate.safetensors");
        Files.write(file, layout("{\"a\\ud800\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", new byte[4]));
        assertTrue(problem(file).contains("lone UTF-16 surrogate"));
        Files.write(file, layout("{\"__metadata__\":{\"k\":\"\\udc00x\"}}", new byte[0]));
        assertTrue(problem(file).contains("lone UTF-16 surrogate U+DC00"));
        Files.write(file, layout("{\"__metadata__\":{\"k\":\"\\ud800\\u0041\"}}", new byte[0]));
        assertTrue(problem(file).contains("lone UTF-16 surrogate"));

        // a pair, escaped or raw, is one character and is fine
        Files.write(file, layout("{\"__metadata__\":{\"k\":\"\\ud83d\\ude00 \ud83d\ude00\"}}", new byte[0]));
        assertEquals("\ud83d\ude00 \ud83d\ude00", Safetensors.load(file).metadata().get("k"));
    }

    @Test
    void loneSurrogatesAreRefusedOnWritingAndTheFileIsUntouched() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(file, Map.of("w", Tensor.vector(1, 2)));
        byte[] before = Files.readAllBytes(file);
        var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(file, Map.of("a\ud800", Tensor.scalar(1))));
        assertTrue(e.getMessage().startsWith("Safetensors.save " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("lone UTF-16 surrogate U+D800"), e.getMessage());
        // before, both names were saved as "a?" and the library refused its own file
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(file, Map.of("w", Tensor.scalar(1)), Map.of("note", "\udfff")));
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void messagesQuoteOnlyAShortPrefixOfTheInput() throws IOException {
        Path file = dir.resolve("long.safetensors");
        String digits = "9".repeat(1_000_000);
        String name = "n".repeat(1_000_000);
        List<String> headers = new ArrayList<>(List.of(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + digits + "],\"data_offsets\":[0,4]}}",
                "{\"" + name + "\":{\"dtype\":\"F99\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"" + name + "\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                "{\"" + name + "\":1,\"" + name + "\":1}",
                "{\"__metadata__\":{\"" + name + "\":1}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[\"" + name + "\"],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(100_000) + "-1],\"data_offsets\":[0,4]}}"));
        for (String header : headers) {
            Files.write(file, layout(header, new byte[4]));
            // a message built from the whole input at every step once made the 100,001-number shape take minutes
            String message = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> problem(file));
            assertTrue(message.length() < 300, () -> message.length() + " characters: " + message.substring(0, 400));
        }
    }
}
