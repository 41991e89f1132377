package dev.gradbook.nn.io;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    /** The pid of a process that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        return p.pid();
    }

    @Test
    void staleTemporaryFilesOfKilledSavesAreDeleted() throws Exception {
        Path file = dir.resolve("model.safetensors");
        // what a save killed midway leaves behind, and what other saves are writing right now
        Path stale = dir.resolve(".model.safetensors." + deadPid() + ".7.tmp");
        Path live = dir.resolve(".model.safetensors." + ProcessHandle.current().parent().orElseThrow().pid() + ".1.tmp");
        Path otherTarget = dir.resolve(".other.safetensors." + deadPid() + ".1.tmp");
        for (Path p : List.of(stale, live, otherTarget)) {
            Files.write(p, new byte[1000]);
        }
        Safetensors.save(file, Map.of("w", Tensor.vector(1, 2, 3)));
        assertTrue(Files.notExists(stale), "the killed save's leftover is gone");
        assertTrue(Files.exists(live), "a live process's save in progress is left alone");
        assertTrue(Files.exists(otherTarget), "another target's files are not ours to delete");
        assertEquals(3, filesInDir().size());
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws IOException {
        Path runs = Files.createDirectory(dir.resolve("runs"));
        Path real = runs.resolve("run-7.safetensors");
        Safetensors.save(real, Map.of("w", Tensor.vector(1)));
        Path link = dir.resolve("latest.safetensors");
        Files.createSymbolicLink(link, Path.of("runs", "run-7.safetensors")); // relative, as `ln -s` makes them
        Safetensors.save(link, Map.of("w", Tensor.vector(2)));
        assertTrue(Files.isSymbolicLink(link), "the link was not replaced by a file");
        assertEquals(Path.of("runs", "run-7.safetensors"), Files.readSymbolicLink(link));
        assertArrayEquals(new float[] {2}, Safetensors.loadTensors(real).get("w").data());
        assertEquals(List.of(real), List.of(Files.list(runs).toArray(Path[]::new)), "no temporary file left");
    }

    @Test
    void thePermissionsOfTheReplacedFileAreKept() throws IOException {
        Path file = dir.resolve("private.safetensors");
        Safetensors.save(file, Map.of("w", Tensor.vector(1)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Safetensors.save(file, Map.of("w", Tensor.vector(2)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        Safetensors.save(file, Map.of("w", Tensor.vector(3)));
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void theSameContentGivesTheSameBytesWhateverTheMapsIterationOrder() throws IOException {
        // "a" and "q" share a bucket of a HashMap, which then iterates in insertion order
        Map<String, Tensor> aFirst = new HashMap<>();
        aFirst.put("a", Tensor.vector(1));
        aFirst.put("q", Tensor.vector(2, 3));
        Map<String, Tensor> qFirst = new HashMap<>();
        qFirst.put("q", Tensor.vector(2, 3));
        qFirst.put("a", Tensor.vector(1));
        Map<String, String> metaA = new HashMap<>();
        metaA.put("a", "1");
        metaA.put("q", "2");
        Map<String, String> metaQ = new HashMap<>();
        metaQ.put("q", "2");
        metaQ.put("a", "1");
        assertEquals(List.of("a", "q"), List.copyOf(aFirst.keySet()));
        assertEquals(List.of("q", "a"), List.copyOf(qFirst.keySet()), "the two maps iterate differently");

        Path one = dir.resolve("one.safetensors");
        Path two = dir.resolve("two.safetensors");
        Safetensors.save(one, aFirst, metaA);
        Safetensors.save(two, qFirst, metaQ);
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
        Safetensors.save(two, aFirst, Map.of("q", "2", "a", "1"));
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two), "Map.of is sorted too");
        assertEquals(List.of("a", "q"), List.copyOf(Safetensors.load(two).metadata().keySet()));
    }

    @Test
    void savesOnTwoThreadsDoNotTakeEachOthersTemporaryFilesForStale() throws Exception {
        Path file = dir.resolve("shared.safetensors");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> saves = new java.util.ArrayList<>();
            for (int thread = 0; thread < 2; thread++) {
                float value = thread;
                saves.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        Safetensors.save(file, Map.of("w", Tensor.vector(value, i)));
                    }
                }));
            }
            for (var save : saves) {
                save.get(); // rethrows a failed save
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(19f, Safetensors.loadTensors(file).get("w").data()[1]);
        assertEquals(List.of(file), filesInDir());
    }
}
