package dev.gradbook.nn;

/** {@link BatchNorm} over inputs {@code (N, C)} or {@code (N, C, L)}: one mean and variance per feature C. */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum) {
        super(numFeatures, eps, momentum, 3);
    }
}
