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
 */
public class RotaryEmbedding extends Module {
    public final int headSize;
    public final int maxLen;
    private final Tensor cos;        // (maxLen, hs): cos(m theta_i), each value twice
    private final Tensor signedSin;  // (maxLen, hs): -sin(m theta_i), +sin(m theta_i)
    private final int[] pairSwap;    // 1, 0, 3, 2, ...: (x_1, x_2, ...) -> (x_2, x_1, ...)

    public RotaryEmbedding(int headSize, int maxLen) {
        this(headSize, maxLen, 10000);
    }

    public RotaryEmbedding(int headSize, int maxLen, double base) {
        if (headSize <= 0 || headSize % 2 != 0 || maxLen <= 0) {
            throw new IllegalArgumentException("RotaryEmbedding: needs an even headSize > 0 and maxLen > 0, got headSize="
                    + headSize + ", maxLen=" + maxLen);
        }
        this.headSize = headSize;
        this.maxLen = maxLen;
        float[] c = new float[maxLen * headSize];
        float[] s = new float[maxLen * headSize];
        for (int m = 0; m < maxLen; m++) {
            for (int i = 0; i < headSize / 2; i++) {
                double angle = m * Math.pow(base, -2.0 * i / headSize);
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

    @Override
    protected String describe() {
        return "headSize=" + headSize + ", maxLen=" + maxLen;
    }
}
