package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {
    static final Path MNIST = ShippedDataTest.DATA.resolve("images/mnist");

    private static int[] first(IntTensor t, int n) {
        return Arrays.copyOf(t.data(), n);
    }

    @Test
    void mnistTrainingSet() {
        long start = System.nanoTime();
        Tensor images = Idx.readImages(MNIST.resolve("train-images-idx3-ubyte.gz"));
        double seconds = (System.nanoTime() - start) / 1e9;
        IntTensor labels = Idx.readLabels(MNIST.resolve("train-labels-idx1-ubyte.gz"));
        assertArrayEquals(new int[] {60000, 28, 28}, images.shape());
        assertArrayEquals(new int[] {60000}, labels.shape());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, first(labels, 10));
        assertEquals(0f, images.min().item());
        assertEquals(1f, images.max().item());
        // the first image (a 5) is blank in its top rows and not blank overall
        assertEquals(0f, images.get(0, 0, 0));
        assertTrue(images.select(0, 0).sum().item() > 50);
        // generous bound for a slow CI machine; it takes about half a second here
        assertTrue(seconds < 10, "reading 60,000 images took " + seconds + " s");
    }

    @Test
    void mnistAndFashionMnistTestSets() {
        Tensor images = Idx.readImagesRaw(MNIST.resolve("t10k-images-idx3-ubyte.gz"));
        IntTensor labels = Idx.readLabels(MNIST.resolve("t10k-labels-idx1-ubyte.gz"));
        assertArrayEquals(new int[] {10000, 28, 28}, images.shape());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, first(labels, 10));
        assertEquals(255f, images.max().item(), "raw pixels are 0..255");

        Path fashion = ShippedDataTest.DATA.resolve("images/fashion-mnist");
        IntTensor clothes = Idx.readLabels(fashion.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(10000, clothes.numel());
        float[] perClass = new float[10];
        for (int c : clothes.data()) {
            perClass[c]++;
        }
        float[] thousand = new float[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, perClass, "the Fashion-MNIST test set has 1000 of each class");
        assertArrayEquals(new int[] {10000, 28, 28}, Idx.readImages(fashion.resolve("t10k-images-idx3-ubyte.gz")).shape());
    }

    /** An IDX file laid out by hand: magic 0x00000803, sizes 2, 2, 3, then 12 pixel bytes. */
    private static byte[] twoImages() {
        return new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
            0, 51, 102, (byte) 153, (byte) 204, (byte) 255, 1, 2, 3, 4, 5, 6};
    }

    @Test
    void handMadeFileAndGzip(@TempDir Path dir) throws IOException {
        Tensor raw = Idx.readImagesRaw(new ByteArrayInputStream(twoImages()), "two.idx");
        assertArrayEquals(new int[] {2, 2, 3}, raw.shape());
        assertArrayEquals(new float[] {0, 51, 102, 153, 204, 255, 1, 2, 3, 4, 5, 6}, raw.data());

        Path gz = dir.resolve("two-idx3-ubyte.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(twoImages());
        }
        Tensor scaled = Idx.readImages(gz);
        assertArrayEquals(new float[] {0, 0.2f, 0.4f, 0.6f, 0.8f, 1}, Arrays.copyOf(scaled.data(), 6), 1e-7f);
    }

    private static String error(byte[] bytes, boolean images) {
        return assertThrows(IllegalArgumentException.class, () -> {
            if (images) {
                Idx.readImages(new ByteArrayInputStream(bytes), "bad.idx");
            } else {
                Idx.readLabels(new ByteArrayInputStream(bytes), "bad.idx");
            }
        }).getMessage();
    }

    @Test
    void corruptFilesAreRejectedWithTheFileName() {
        byte[] good = twoImages();
        assertEquals("bad.idx: magic number 0x00000803, expected 0x00000801 (unsigned bytes in 1 dimension)",
                error(good, false));
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertEquals("bad.idx: the header announces 12 values [2, 2, 3], but the file ends after 11",
                error(truncated, true));
        byte[] extra = Arrays.copyOf(good, good.length + 1);
        assertTrue(error(extra, true).startsWith("bad.idx: extra bytes"));
        assertEquals("bad.idx: the file ends inside the IDX header", error(Arrays.copyOf(good, 6), true));
        byte[] huge = good.clone();
        huge[4] = (byte) 0x7F; // 2^31-ish images: far more than the file holds, must not be allocated
        assertTrue(error(huge, true).startsWith("bad.idx: invalid size"), error(huge, true));
        byte[] wrongType = good.clone();
        wrongType[2] = 0x0D; // float elements
        assertTrue(error(wrongType, true).contains("magic number 0x00000D03"));
    }
}
