package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files in which MNIST and Fashion-MNIST are distributed
 * (LeCun et al., http://yann.lecun.com/exdb/mnist/, "file formats"):
 * <pre>
 *     bytes 0-1   0x00 0x00
 *     byte  2     element type: 0x08 = unsigned byte (the only type these data sets use)
 *     byte  3     number of dimensions, d
 *     then        d sizes, each a 4-byte big-endian integer
 *     then        the elements, row-major, one byte each
 * </pre>
 * Image files have d = 3, {@code (N, rows, cols)}; label files d = 1, {@code (N)}. A file whose
 * name ends in {@code .gz} is decompressed while reading. Anything unexpected (a wrong magic
 * number, a missing or extra byte) is an error that names the file.
 *
 * <pre>{@code
 * Tensor images = Idx.readImages(Path.of("data/images/mnist/train-images-idx3-ubyte.gz")); // (60000, 28, 28) in [0, 1]
 * IntTensor labels = Idx.readLabels(Path.of("data/images/mnist/train-labels-idx1-ubyte.gz")); // (60000)
 * }</pre>
 */
public final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /** Images {@code (N, rows, cols)} with pixel values scaled from 0..255 to [0, 1]. */
    public static Tensor readImages(Path path) {
        return read(path, 3, true);
    }

    public static Tensor readImages(InputStream in, String source) {
        return read(in, source, 3, true);
    }

    /** Images {@code (N, rows, cols)} with the raw pixel values 0..255. */
    public static Tensor readImagesRaw(Path path) {
        return read(path, 3, false);
    }

    public static Tensor readImagesRaw(InputStream in, String source) {
        return read(in, source, 3, false);
    }

    /** Labels {@code (N)} as class indices (0..9 for MNIST). */
    public static IntTensor readLabels(Path path) {
        return read(path, 1, false).toIntTensor();
    }

    public static IntTensor readLabels(InputStream in, String source) {
        return read(in, source, 1, false).toIntTensor();
    }

    private static Tensor read(Path path, int dims, boolean scale) {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), dims, scale);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an unsigned-byte IDX stream with {@code dims} dimensions into a float tensor of its
     * values, divided by 255 if {@code scale}.
     */
    private static Tensor read(InputStream stream, String source, int dims, boolean scale) {
        try {
            InputStream raw = source.endsWith(".gz") ? new GZIPInputStream(stream, 1 << 16) : stream;
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            int magic = in.readInt();
            int type = (magic >>> 8) & 0xFF;
            int d = magic & 0xFF;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || d != dims) {
                throw new IllegalArgumentException(source + ": magic number 0x" + String.format("%08X", magic)
                        + ", expected 0x00000" + String.format("%03X", UNSIGNED_BYTE << 8 | dims)
                        + " (unsigned bytes in " + dims + " dimension" + (dims == 1 ? "" : "s") + ")");
            }
            int[] shape = new int[d];
            long count = 1;
            for (int i = 0; i < d; i++) {
                shape[i] = in.readInt();
                count *= Math.max(shape[i], 0);
                if (shape[i] < 0 || count > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(source + ": invalid size " + Integer.toUnsignedString(shape[i])
                            + " in dimension " + i);
                }
            }
            byte[] bytes = readValues(in, (int) count, source, shape);
            if (in.read() != -1) {
                throw new IllegalArgumentException(source + ": extra bytes after the " + count + " values "
                        + Arrays.toString(shape) + " the header announces");
            }
            // a table of the 256 possible values: one lookup per pixel instead of a division
            float[] table = new float[256];
            for (int b = 0; b < 256; b++) {
                table[b] = scale ? b / 255f : b;
            }
            float[] values = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                values[i] = table[bytes[i] & 0xFF];
            }
            return Tensor.wrap(values, shape);
        } catch (EOFException e) {
            throw new IllegalArgumentException(source + ": the file ends inside the IDX header", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code count} bytes the header announces. The buffer starts at 16 MB at most and
     * doubles as bytes arrive, so a header that promises more than the file holds costs at most
     * 16 MB or twice what the file really holds, never the promised size.
     */
    private static byte[] readValues(InputStream in, int count, String source, int[] shape) throws IOException {
        byte[] bytes = new byte[Math.min(count, 1 << 24)];
        int filled = 0;
        while (filled < count) {
            if (filled == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(count, 2L * bytes.length));
            }
            int n = in.read(bytes, filled, bytes.length - filled);
            if (n < 0) {
                throw new IllegalArgumentException(source + ": the header announces " + count + " values "
                        + Arrays.toString(shape) + ", but the file ends after " + filled);
            }
            filled += n;
        }
        return bytes;
    }
}
