package dev.gradbook.transformer.quant;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * A matrix stored as 4-bit NormalFloat codes with block-wise absmax scales (Dettmers et al.,
 * "QLoRA", NeurIPS 2023, sections 2-3):
 * <pre>
 *     the matrix, read row-major, is cut into blocks of B consecutive values (B = 64)
 *     c_b  = max |w| over block b                one float32 scale per block
 *     q    = NF4 code of the level nearest w / c_b
 *     w   ~ LEVELS[q] * c_b                      dequantised
 * </pre>
 * Two codes share each byte: value {@code 2k} in the high nibble, value {@code 2k + 1} in the
 * low one. Within a block, {@code w / c_b} lies in {@code [-1, 1]} and rounds to the nearest
 * level, so the error is at most half the gap around it, and never more than
 * {@code c_b * largestGap / 2}. Small blocks keep an outlier from coarsening more than 63 other
 * weights; the cost is {@code 32 / B} extra bits per weight for the scales (0.5 bits at B = 64;
 * QLoRA's "double quantisation" stores these scales in 8 bits as well, which is not done here).
 */
public final class Nf4Weight extends QuantizedWeight {
    public static final int DEFAULT_BLOCK_SIZE = 64;

    private final int blockSize;
    private final byte[] packed;  // ceil(rows * cols / 2) bytes, two codes each
    private final float[] absmax; // ceil(rows * cols / blockSize) block scales

    private Nf4Weight(int rows, int cols, int blockSize, byte[] packed, float[] absmax) {
        super(rows, cols);
        this.blockSize = blockSize;
        this.packed = packed;
        this.absmax = absmax;
    }

    /** Quantises {@code w (rows, cols)} with blocks of 64. */
    public static Nf4Weight quantize(Tensor w) {
        return quantize(w, DEFAULT_BLOCK_SIZE);
    }

    /** Quantises {@code w (rows, cols)} with blocks of {@code blockSize} consecutive values. */
    public static Nf4Weight quantize(Tensor w, int blockSize) {
        if (w.dim() != 2 || blockSize <= 0) {
            throw new IllegalArgumentException("Nf4Weight.quantize: expected a matrix (rows, cols) and a positive "
                    + "block size, got shape " + Shape.format(w.shape()) + " and block size " + blockSize);
        }
        float[] x = w.data();
        int n = x.length;
        float[] absmax = new float[(n + blockSize - 1) / blockSize];
        int[] codes = new int[n];
        for (int b = 0; b < absmax.length; b++) {
            int start = b * blockSize;
            int end = Math.min(n, start + blockSize);
            for (int i = start; i < end; i++) {
                absmax[b] = Math.max(absmax[b], Math.abs(x[i]));
            }
            for (int i = start; i < end; i++) {
                codes[i] = NormalFloat4.encode(absmax[b] == 0 ? 0 : x[i] / absmax[b]);
            }
        }
        return new Nf4Weight(w.size(0), w.size(1), blockSize, pack(codes), absmax);
    }

    @Override
    public Tensor dequantize() {
        int n = rows * cols;
        int[] codes = unpack(packed, n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = NormalFloat4.decode(codes[i]) * absmax[i / blockSize];
        }
        return Tensor.wrap(out, rows, cols);
    }

    /** Codes 0-15, two per byte: {@code codes[2k]} in the high nibble of byte k, {@code codes[2k+1]} in the low. */
    public static byte[] pack(int[] codes) {
        byte[] out = new byte[(codes.length + 1) / 2];
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] > 15) {
                throw new IllegalArgumentException("Nf4Weight.pack: code " + codes[i] + " at " + i + " is not 4 bits");
            }
            out[i / 2] |= (byte) (i % 2 == 0 ? codes[i] << 4 : codes[i]);
        }
        return out;
    }

    /** The first {@code n} codes of {@code packed}: the inverse of {@link #pack}. */
    public static int[] unpack(byte[] packed, int n) {
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            int b = packed[i / 2] & 0xFF;
            codes[i] = i % 2 == 0 ? b >>> 4 : b & 0x0F;
        }
        return codes;
    }

    /** The scale {@code c_b} of the block holding element {@code (row, col)}. */
    public float blockScale(int row, int col) {
        return absmax[(row * cols + col) / blockSize];
    }

    public int blockSize() {
        return blockSize;
    }

    /** Bytes for a {@code (rows, cols)} matrix: half a byte per weight plus a float32 per block. */
    public static long bytesFor(int rows, int cols, int blockSize) {
        long n = (long) rows * cols;
        return (n + 1) / 2 + 4 * ((n + blockSize - 1) / blockSize);
    }

    @Override
    public long bytes() {
        return bytesFor(rows, cols, blockSize);
    }

    @Override
    public String format() {
        return "nf4";
    }
}
