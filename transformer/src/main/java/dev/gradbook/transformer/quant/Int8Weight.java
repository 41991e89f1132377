package dev.gradbook.transformer.quant;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Symmetric 8-bit absmax quantisation with one scale per output channel (row), the vector-wise
 * scheme of LLM.int8() (Dettmers et al., NeurIPS 2022, section 3.1):
 * <pre>
 *     s_i  = max_j |W_ij| / 127          one float32 scale per row
 *     q_ij = round(W_ij / s_i)           an integer in [-127, 127], stored in a byte
 *     W_ij ~ q_ij s_i                    dequantised
 * </pre>
 * Rounding to the nearest integer makes the error at most half a step:
 * {@code |W_ij - q_ij s_i| <= s_i / 2}. A scale per row rather than per matrix keeps one row's
 * large weights from coarsening every other row. (LLM.int8() also keeps outlier feature columns
 * in 16 bits during the matrix product; this class only stores the weight.)
 */
public final class Int8Weight extends QuantizedWeight {
    private final byte[] codes;   // (rows, cols), row-major
    private final float[] scales; // (rows)

    private Int8Weight(int rows, int cols, byte[] codes, float[] scales) {
        super(rows, cols);
        this.codes = codes;
        this.scales = scales;
    }

    /** Quantises a matrix {@code w (rows, cols)} row by row. */
    public static Int8Weight quantize(Tensor w) {
        if (w.dim() != 2) {
            throw new IllegalArgumentException("Int8Weight.quantize: expected a matrix (rows, cols), got shape "
                    + Shape.format(w.shape()));
        }
        int rows = w.size(0);
        int cols = w.size(1);
        float[] x = w.data();
        byte[] codes = new byte[rows * cols];
        float[] scales = new float[rows];
        for (int i = 0; i < rows; i++) {
            float absmax = 0;
            for (int j = 0; j < cols; j++) {
                absmax = Math.max(absmax, Math.abs(x[i * cols + j]));
            }
            scales[i] = absmax / 127;
            for (int j = 0; j < cols && absmax > 0; j++) {
                int q = Math.round(x[i * cols + j] / scales[i]);
                codes[i * cols + j] = (byte) Math.max(-127, Math.min(127, q));
            }
        }
        return new Int8Weight(rows, cols, codes, scales);
    }

    @Override
    public Tensor dequantize() {
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = codes[i * cols + j] * scales[i];
            }
        }
        return Tensor.wrap(out, rows, cols);
    }

    /** The scale {@code s_i} of row {@code i}. */
    public float scale(int row) {
        return scales[row];
    }

    /** The stored integer {@code q_ij}. */
    public int code(int row, int col) {
        return codes[row * cols + col];
    }

    /** Bytes for a {@code (rows, cols)} matrix: one per weight plus a float32 scale per row. */
    public static long bytesFor(int rows, int cols) {
        return (long) rows * cols + 4L * rows;
    }

    /** Counted from the arrays held: the codes and the float32 scales. */
    @Override
    public long bytes() {
        return codes.length + 4L * scales.length;
    }

    @Override
    public String format() {
        return "int8";
    }
}
