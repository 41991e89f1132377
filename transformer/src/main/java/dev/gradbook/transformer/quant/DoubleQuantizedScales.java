package dev.gradbook.transformer.quant;

/**
 * The block scales of an {@link Nf4Weight}, quantised a second time: QLoRA's <em>double
 * quantisation</em> (Dettmers et al., NeurIPS 2023, section 3, "Double Quantization").
 *
 * <p>With blocks of 64 weights, one float32 absmax per block costs {@code 32 / 64 = 0.5} extra
 * bits per weight, an eighth of the 4 bits of the codes themselves. The scales are all positive
 * and of similar size, so they quantise well:
 * <pre>
 *     m    = mean of the scales c_b                                   one float32
 *     the centred scales c_b - m are cut into blocks of 256; in block k
 *     s_k  = max |c_b - m| / 127                                      one float32 per 256 scales
 *     q_b  = round((c_b - m) / s_k)                                   8 bits per scale
 *     c_b ~ q_b s_k + m
 * </pre>
 * which costs {@code 8 / 64 + 32 / (64 * 256) = 0.127} bits per weight instead of 0.5 (the
 * paper's figure). Subtracting the mean first centres the values on zero so that the symmetric
 * code spends its range on the spread of the scales, not on their common size (the paper does
 * the same). The paper stores the second level as 8-bit floats; this class uses 8-bit integers
 * with the same block size, the absmax scheme of {@link Int8Weight}: the error on each scale is
 * at most {@code s_k / 2}, small against the scale itself.
 */
public final class DoubleQuantizedScales {
    /** Scales per second-level block, as in the paper. */
    public static final int BLOCK_SIZE = 256;

    private final float mean;
    private final byte[] codes;   // one per first-level scale
    private final float[] steps;  // one per block of 256 codes

    private DoubleQuantizedScales(float mean, byte[] codes, float[] steps) {
        this.mean = mean;
        this.codes = codes;
        this.steps = steps;
    }

    /** Quantises the positive block scales {@code absmax} to 8 bits each. */
    public static DoubleQuantizedScales quantize(float[] absmax) {
        double sum = 0;
        for (float c : absmax) {
            sum += c;
        }
        float mean = absmax.length == 0 ? 0f : (float) (sum / absmax.length);
        byte[] codes = new byte[absmax.length];
        float[] steps = new float[(absmax.length + BLOCK_SIZE - 1) / BLOCK_SIZE];
        for (int k = 0; k < steps.length; k++) {
            int start = k * BLOCK_SIZE;
            int end = Math.min(absmax.length, start + BLOCK_SIZE);
            float largest = 0;
            for (int b = start; b < end; b++) {
                largest = Math.max(largest, Math.abs(absmax[b] - mean));
            }
            steps[k] = largest / 127;
            for (int b = start; b < end && largest > 0; b++) {
                int q = Math.round((absmax[b] - mean) / steps[k]);
                codes[b] = (byte) Math.max(-127, Math.min(127, q));
            }
        }
        return new DoubleQuantizedScales(mean, codes, steps);
    }

    /** The dequantised scale {@code c_b ~ q_b s_k + m} of first-level block {@code b}. */
    public float scale(int b) {
        return codes[b] * steps[b / BLOCK_SIZE] + mean;
    }

    /** How many first-level scales are stored. */
    public int count() {
        return codes.length;
    }

    /** The step {@code s_k} of second-level block {@code k}: each scale is within half of it. */
    public float step(int k) {
        return steps[k];
    }

    /** Bytes as stored: one per scale, a float32 per block of 256, and the float32 mean. */
    public long bytes() {
        return codes.length + 4L * steps.length + 4;
    }
}
