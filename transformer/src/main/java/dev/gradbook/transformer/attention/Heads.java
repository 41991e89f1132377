package dev.gradbook.transformer.attention;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Splitting the model dimension into heads and back (Vaswani et al. 2017, section 3.2.2). With
 * {@code C = nh * hs}, the channels of each position are cut into {@code nh} groups of {@code hs}
 * and the head becomes a batch dimension, so that one batched product attends in every head at
 * once. Shape legend: B batch, T positions, C channels, nh heads, hs head size.
 */
public final class Heads {
    private Heads() {
    }

    /** {@code (B, T, C) -> (B, nh, T, hs)}. */
    public static Tensor split(Tensor x, int nh) {
        if (x.dim() != 3 || x.size(2) % nh != 0) {
            throw new IllegalArgumentException("Heads.split: expects (B, T, C) with C divisible by " + nh
                    + " heads, got " + Shape.format(x.shape()));
        }
        int b = x.size(0);
        int t = x.size(1);
        int hs = x.size(2) / nh;
        return x.reshape(b, t, nh, hs)    // (B, T, nh, hs)
                .transpose(1, 2);         // (B, nh, T, hs)
    }

    /** {@code (B, nh, T, hs) -> (B, T, C)}: the heads side by side again. */
    public static Tensor merge(Tensor y) {
        if (y.dim() != 4) {
            throw new IllegalArgumentException("Heads.merge: expects (B, nh, T, hs), got " + Shape.format(y.shape()));
        }
        int b = y.size(0);
        int nh = y.size(1);
        int t = y.size(2);
        int hs = y.size(3);
        return y.transpose(1, 2)          // (B, T, nh, hs)
                .reshape(b, t, nh * hs);  // (B, T, C)
    }
}
