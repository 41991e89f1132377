package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/** Flattens dimensions {@code startDim..endDim} into one; by default everything but the batch: (N, C, H, W) -> (N, C*H*W). */
public class Flatten extends Layer {
    public final int startDim;
    public final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }
}
