package dev.gradbook.nn;

/** {@link BatchNorm} over images {@code (N, C, H, W)}: one mean and variance per channel, over N, H and W. */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum) {
        super(numFeatures, eps, momentum, 4);
    }
}
