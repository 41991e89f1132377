package dev.gradbook.nn.io;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aSaveThatFailsMidwayLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(file, Map.of("w", Tensor.vector(1, 2, 3)));
        byte[] before = Files.readAllBytes(file);

        // the disk "fills up" after part of the new content has been written
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[1000]));
            throw new IOException("No space left on device (simulated)");
        }));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("No space left"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));

        // a programming error in the middle of writing does no harm either
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[10]));
            throw new IllegalStateException("bug");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), filesInDir(), "no temporary file is left behind");
        assertArrayEquals(new float[] {1, 2, 3}, Safetensors.loadTensors(file).get("w").data());
    }

    @Test
    void aSuccessfulSaveReplacesTheFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(file, Map.of("w", Tensor.vector(1, 2, 3)));
        Safetensors.save(file, Map.of("v", Tensor.scalar(7)), Map.of("version", "2"));
        Safetensors.Contents c = Safetensors.load(file);
        assertEquals(List.of("v"), List.copyOf(c.tensors().keySet()));
        assertEquals("2", c.metadata().get("version"));
        assertEquals(List.of(file), filesInDir());
    }

    @Test
    void anInvalidSaveDoesNotTouchTheFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(file, Map.of("w", Tensor.vector(1, 2, 3)));
        byte[] before = Files.readAllBytes(file);
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(file, Map.of("__metadata__", Tensor.vector(4))));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("note", null);
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(file, Map.of("w", Tensor.vector(4)), nullValue));
        assertArrayEquals(before, Files.readAllBytes(file));

        Path nowhere = dir.resolve("missing-dir").resolve("model.safetensors");
        assertThrows(UncheckedIOException.class, () -> Safetensors.save(nowhere, Map.of("w", Tensor.vector(1))));
    }
}
