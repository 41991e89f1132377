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
 * weights; the cost is {@code 32 / B} extra bits per weight for the scales: 0.5 bits at B = 64.
 * QLoRA's <em>double quantisation</em> ({@link #quantizeDouble}) stores the scales themselves in
 * 8 bits ({@link DoubleQuantizedScales}), which brings that cost down to 0.127 bits.
 */
public final class Nf4Weight extends QuantizedWeight {
    public static final int DEFAULT_BLOCK_SIZE = 64;

    private final int blockSize;
    private final byte[] packed;  // ceil(rows * cols / 2) bytes, two codes each
    /** ceil(rows * cols / blockSize) block scales in float32, or null when double-quantised. */
    private final float[] absmax;
    /** The same scales in 8 bits, or null when kept in float32. */
    private final DoubleQuantizedScales quantizedAbsmax;

    private Nf4Weight(int rows, int cols, int blockSize, byte[] packed, float[] absmax,
                      DoubleQuantizedScales quantizedAbsmax) {
        super(rows, cols);
        this.blockSize = blockSize;
        this.packed = packed;
        this.absmax = absmax;
        this.quantizedAbsmax = quantizedAbsmax;
    }

    /** Quantises {@code w (rows, cols)} with blocks of 64. */
    public static Nf4Weight quantize(Tensor w) {
        return quantize(w, DEFAULT_BLOCK_SIZE);
    }

    /** Quantises {@code w (rows, cols)} with blocks of 64, then its block scales to 8 bits (double quantisation). */
    public static Nf4Weight quantizeDouble(Tensor w) {
        return quantize(w, DEFAULT_BLOCK_SIZE, true);
    }

    /** Quantises {@code w (rows, cols)} with blocks of {@code blockSize} consecutive values, scales in float32. */
    public static Nf4Weight quantize(Tensor w, int blockSize) {
        return quantize(w, blockSize, false);
    }

    /**
     * Quantises {@code w (rows, cols)} with blocks of {@code blockSize} consecutive values; with
     * {@code doubleQuant} the block scales are stored in 8 bits too. The codes are chosen against
     * the exact float32 scales in both cases (as in the paper: the second quantisation only
     * changes how the scales are stored).
     */
    public static Nf4Weight quantize(Tensor w, int blockSize, boolean doubleQuant) {
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
        return doubleQuant
                ? new Nf4Weight(w.size(0), w.size(1), blockSize, pack(codes), null, DoubleQuantizedScales.quantize(absmax))
                : new Nf4Weight(w.size(0), w.size(1), blockSize, pack(codes), absmax, null);
    }

    @Override
    public Tensor dequantize() {
        int n = rows * cols;
        float[] out = new float[n];
        for (int b = 0; b * blockSize < n; b++) {          // block by block: one scale each
            float c = scale(b);
            for (int i = b * blockSize; i < Math.min(n, (b + 1) * blockSize); i++) {
                out[i] = NormalFloat4.decode(code(i)) * c;
            }
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

    /** The code of value {@code i}: the high nibble of byte {@code i / 2} for even {@code i}, the low one for odd. */
    private int code(int i) {
        int b = packed[i >> 1] & 0xFF;
        return (i & 1) == 0 ? b >>> 4 : b & 0x0F;
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

    /** The scale {@code c_b} of the block holding element {@code (row, col)}, as dequantisation uses it. */
    public float blockScale(int row, int col) {
        return scale((row * cols + col) / blockSize);
    }

    private float scale(int block) {
        return absmax != null ? absmax[block] : quantizedAbsmax.scale(block);
    }

    /** Whether the block scales are stored in 8 bits ({@link DoubleQuantizedScales}). */
    public boolean isDoubleQuantized() {
        return quantizedAbsmax != null;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Bytes for a {@code (rows, cols)} matrix: half a byte per weight plus a float32 per block (no double quantisation). */
    public static long bytesFor(int rows, int cols, int blockSize) {
        long n = (long) rows * cols;
        return (n + 1) / 2 + 4 * ((n + blockSize - 1) / blockSize);
    }

    /** Counted from the arrays held: the packed codes plus the scales, in float32 or double-quantised. */
    @Override
    public long bytes() {
        return packed.length + (absmax != null ? 4L * absmax.length : quantizedAbsmax.bytes());
    }

    @Override
    public String format() {
        return isDoubleQuantized() ? "nf4 + double quantisation" : "nf4";
    }
}
