package dev.gradbook.transformer.position;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

/**
 * Rotary position embedding, RoPE (Su et al. 2021, "RoFormer", section 3.4, equation 34). Instead
 * of adding a position vector, rotate each pair of channels {@code (x_2i, x_2i+1)} of a query or
 * key at position {@code m} by the angle {@code m theta_i}, with {@code theta_i = 10000^(-2i/d)}:
 * <pre>
 *   R_m x = x ⊙ (cos m theta_1, cos m theta_1, cos m theta_2, cos m theta_2, ...)
 *         + (-x_2, x_1, -x_4, x_3, ...) ⊙ (sin m theta_1, sin m theta_1, sin m theta_2, sin m theta_2, ...)
 * </pre>
 * Rotations compose: {@code (R_m q) · (R_n k) = q · R_(n-m) k}, so the attention score of a query
 * and a key depends on their positions only through {@code m - n}. Nothing is learned. Applied
 * inside attention, to queries and keys of shape {@code (..., T, hs)} after the split into heads.
 *
 * <p>Longer contexts than the model was trained on. A model trained on positions
 * {@code 0..L-1} has only seen angles {@code m theta_i < L theta_i}; beyond them its attention
 * meets rotations it never learned to read, and the loss climbs. Two remedies need no new weights:
 * <ul>
 *   <li>Position interpolation (Chen et al. 2023, "Extending Context Window of Large Language
 *       Models via Positional Interpolation", section 2.3): with {@code scale} {@code s = L'/L},
 *       position {@code m} gets the angles of {@code m / s}, so {@code L'} positions fit inside the
 *       trained range (at the price of neighbours sitting {@code 1/s} apart instead of 1).</li>
 *   <li>"NTK-aware" scaling (bloc97 2023; Peng et al. 2023, "YaRN", section 3.1): keep the
 *       positions and raise the base to {@code b s^(hs/(hs-2))} ({@link #ntkAwareBase}), which
 *       stretches the slow, low-frequency pairs by about {@code s} and leaves the fast ones, that
 *       tell neighbours apart, almost as they were.</li>
 * </ul>
 */
public class RotaryEmbedding extends Module {
    public final int headSize;
    public final int maxLen;
    public final double base;
    /** Position interpolation factor {@code s}: position {@code m} is rotated as {@code m / s}. */
    public final double scale;
    private final Tensor cos;        // (maxLen, hs): cos(m theta_i), each value twice
    private final Tensor signedSin;  // (maxLen, hs): -sin(m theta_i), +sin(m theta_i)
    private final int[] pairSwap;    // 1, 0, 3, 2, ...: (x_1, x_2, ...) -> (x_2, x_1, ...)

    public RotaryEmbedding(int headSize, int maxLen) {
        this(headSize, maxLen, 10000);
    }

    public RotaryEmbedding(int headSize, int maxLen, double base) {
        this(headSize, maxLen, base, 1);
    }

    /**
     * @param base  {@code b} in {@code theta_i = b^(-2i/hs)}
     * @param scale position interpolation factor {@code s >= 1}: position {@code m} is rotated by
     *              {@code (m / s) theta_i} (1: plain RoPE)
     */
    public RotaryEmbedding(int headSize, int maxLen, double base, double scale) {
        if (headSize <= 0 || headSize % 2 != 0 || maxLen <= 0) {
            throw new IllegalArgumentException("RotaryEmbedding: needs an even headSize > 0 and maxLen > 0, got headSize="
                    + headSize + ", maxLen=" + maxLen);
        }
        if (!(base > 1 && base < Double.POSITIVE_INFINITY) || !(scale >= 1 && scale < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("RotaryEmbedding: needs a finite base > 1 and scale >= 1, got base="
                    + base + ", scale=" + scale);
        }
        this.headSize = headSize;
        this.maxLen = maxLen;
        this.base = base;
        this.scale = scale;
        float[] c = new float[maxLen * headSize];
        float[] s = new float[maxLen * headSize];
        for (int m = 0; m < maxLen; m++) {
            for (int i = 0; i < headSize / 2; i++) {
                double angle = (m / scale) * Math.pow(base, -2.0 * i / headSize);
                int at = m * headSize + 2 * i;
                c[at] = (float) Math.cos(angle);
                c[at + 1] = c[at];
                s[at] = (float) -Math.sin(angle);
                s[at + 1] = (float) Math.sin(angle);
            }
        }
        this.cos = Tensor.wrap(c, maxLen, headSize);
        this.signedSin = Tensor.wrap(s, maxLen, headSize);
        this.pairSwap = new int[headSize];
        for (int i = 0; i < headSize; i++) {
            pairSwap[i] = i ^ 1;
        }
    }

    /** Rotates {@code x (..., T, hs)} whose positions are {@code offset .. offset + T - 1}. */
    public Tensor forward(Tensor x, int offset) {
        if (x.dim() < 2 || x.size(-1) != headSize) {
            throw new IllegalArgumentException("RotaryEmbedding(headSize=" + headSize + "): input "
                    + Shape.format(x.shape()) + " is not (..., T, " + headSize + ")");
        }
        int t = x.size(-2);
        if (offset < 0 || offset + t > maxLen) {
            throw new IllegalArgumentException("RotaryEmbedding: positions " + offset + ".." + (offset + t - 1)
                    + " go beyond maxLen=" + maxLen);
        }
        Tensor swapped = x.indexSelect(-1, pairSwap);                       // (..., T, hs): x_2, x_1, x_4, x_3, ...
        return x.mul(cos.narrow(0, offset, t))                              // (..., T, hs) * (T, hs)
                .add(swapped.mul(signedSin.narrow(0, offset, t)));
    }

    /**
     * The "NTK-aware" base for extending the context {@code scale} times:
     * {@code b' = b s^(hs / (hs - 2))}. The slowest pair, {@code i = hs/2 - 1}, then turns exactly
     * {@code s} times slower ({@code b'^(-(hs-2)/hs) = b^(-(hs-2)/hs) / s}), like position
     * interpolation, while the fastest, {@code i = 0}, keeps its speed.
     */
    public static double ntkAwareBase(double base, double scale, int headSize) {
        if (headSize <= 2 || headSize % 2 != 0 || !(scale >= 1)) {
            throw new IllegalArgumentException("RotaryEmbedding.ntkAwareBase: needs an even headSize > 2 and scale >= 1, got "
                    + "headSize=" + headSize + ", scale=" + scale);
        }
        return base * Math.pow(scale, headSize / (headSize - 2.0));
    }

    @Override
    protected String describe() {
        return "headSize=" + headSize + ", maxLen=" + maxLen + (base == 10000 ? "" : ", base=" + base)
                + (scale == 1 ? "" : ", scale=" + scale);
    }
}
