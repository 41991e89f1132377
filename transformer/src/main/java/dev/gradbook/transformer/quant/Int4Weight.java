package dev.gradbook.transformer.quant;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Symmetric 4-bit integer absmax quantisation, with one scale per output channel (row) or one for
 * the whole matrix (per tensor), to show why the granularity of the scales matters:
 * <pre>
 *     s    = max |W| / 7        over row i (per channel) or over the matrix (per tensor)
 *     q_ij = round(W_ij / s)    an integer in [-7, 7], two per byte
 *     W_ij ~ q_ij s
 * </pre>
 * With only 15 levels, one large weight sets a coarse step for every weight that shares its
 * scale; a scale per row confines the damage to that row (Dettmers et al., "LLM.int8()",
 * section 3.1 gives the same argument at 8 bits; Nagel et al., "A White Paper on Neural Network
 * Quantization", 2021, section 2.4 on per-channel scales). The uniform levels spend as many codes
 * on rare large weights as on the common small ones; {@link Nf4Weight} places its 16 levels at
 * the quantiles of a normal distribution instead.
 */
public final class Int4Weight extends QuantizedWeight {
    private final byte[] packed;  // (rows * cols) codes + 8, two per byte, high nibble first
    private final float[] scales; // (rows) per channel, or (1) per tensor
    private final boolean perChannel;

    private Int4Weight(int rows, int cols, byte[] packed, float[] scales, boolean perChannel) {
        super(rows, cols);
        this.packed = packed;
        this.scales = scales;
        this.perChannel = perChannel;
    }

    /** Per-channel (one scale per row) quantisation of {@code w (rows, cols)}. */
    public static Int4Weight quantize(Tensor w) {
        return quantize(w, true);
    }

    public static Int4Weight quantizePerTensor(Tensor w) {
        return quantize(w, false);
    }

    public static Int4Weight quantize(Tensor w, boolean perChannel) {
        if (w.dim() != 2) {
            throw new IllegalArgumentException("Int4Weight.quantize: expected a matrix (rows, cols), got shape "
                    + Shape.format(w.shape()));
        }
        int rows = w.size(0);
        int cols = w.size(1);
        float[] x = w.data();
        float[] scales = new float[perChannel ? rows : 1];
        for (int i = 0; i < x.length; i++) {
            int s = perChannel ? i / cols : 0;
            scales[s] = Math.max(scales[s], Math.abs(x[i]) / 7);
        }
        int[] codes = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            float s = scales[perChannel ? i / cols : 0];
            int q = s == 0 ? 0 : Math.round(x[i] / s);
            codes[i] = Math.max(-7, Math.min(7, q)) + 8;  // stored as 1..15
        }
        return new Int4Weight(rows, cols, Nf4Weight.pack(codes), scales, perChannel);
    }

    @Override
    public Tensor dequantize() {
        int[] codes = Nf4Weight.unpack(packed, rows * cols);
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = (codes[i] - 8) * scales[perChannel ? i / cols : 0];
        }
        return Tensor.wrap(out, rows, cols);
    }

    /** The scale of row {@code row} (the single scale, per tensor). */
    public float scale(int row) {
        return scales[perChannel ? row : 0];
    }

    /** Bytes: half a byte per weight (rounded up) plus a float32 per scale. */
    public static long bytesFor(int rows, int cols, boolean perChannel) {
        return ((long) rows * cols + 1) / 2 + 4L * (perChannel ? rows : 1);
    }

    /** Counted from the arrays held: the packed codes and the float32 scales. */
    @Override
    public long bytes() {
        return packed.length + 4L * scales.length;
    }

    @Override
    public String format() {
        return perChannel ? "int4 per channel" : "int4 per tensor";
    }
}
