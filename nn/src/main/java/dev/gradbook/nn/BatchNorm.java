package dev.gradbook.nn;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy, ICML 2015, Algorithm 1), shared by {@link BatchNorm1d}
 * and {@link BatchNorm2d}. Each channel {@code c} (dimension 1 of the input) is normalised with
 * statistics taken over every other dimension (the batch, and the length or height and width):
 * <pre>
 *   y = (x - mu_c) / sqrt(sigma_c^2 + eps) * gamma_c + beta_c
 * </pre>
 * In training, {@code mu} and {@code sigma^2} are the batch's own (biased variance), and the
 * running estimates move towards them: {@code running = (1 - momentum) running + momentum batch}
 * (the running variance uses the unbiased batch variance, as PyTorch does). In eval mode the
 * running estimates are used instead, so one example at a time gives the same answer.
 */
public abstract class BatchNorm extends Layer {
    public final int numFeatures;
    public final float eps;
    public final float momentum;
    public final Tensor weight;
    public final Tensor bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    private final int expectedRank;

    protected BatchNorm(int numFeatures, float eps, float momentum, int expectedRank) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.expectedRank = expectedRank;
        this.weight = parameter("weight", Tensor.ones(numFeatures));
        this.bias = parameter("bias", Tensor.zeros(numFeatures));
        this.runningMean = buffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = buffer("running_var", Tensor.ones(numFeatures));
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean rankOk = x.dim() == expectedRank || (expectedRank == 3 && x.dim() == 2);
        if (!rankOk || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + numFeatures + "): input of shape "
                    + Shape.format(x.shape()) + " must be (N, " + numFeatures + (expectedRank == 4 ? ", H, W)" : "[, L])"));
        }
        int n = x.size(0);
        Tensor rows = x.reshape(n, numFeatures, -1);                     // (N, C, L)
        Tensor mean;
        Tensor var;
        if (isTraining()) {
            mean = rows.mean(2, true).mean(0, true);                      // (1, C, 1)
            var = rows.sub(mean).square().mean(2, true).mean(0, true);    // (1, C, 1), biased
            updateRunningStatistics(mean, var, n * rows.size(2));
        } else {
            mean = runningMean.reshape(1, numFeatures, 1);
            var = runningVar.reshape(1, numFeatures, 1);
        }
        Tensor normalised = rows.sub(mean).div(var.add(eps).sqrt());     // (N, C, L)
        Tensor scaled = normalised.mul(weight.reshape(1, numFeatures, 1)).add(bias.reshape(1, numFeatures, 1));
        return scaled.reshape(x.shape());
    }

    private void updateRunningStatistics(Tensor mean, Tensor var, int count) {
        try (var ignored = Autograd.noGrad()) {
            float unbias = count > 1 ? count / (float) (count - 1) : 1f;
            float[] rm = runningMean.data();
            float[] rv = runningVar.data();
            float[] m = mean.data();
            float[] v = var.data();
            for (int c = 0; c < numFeatures; c++) {
                rm[c] = (1 - momentum) * rm[c] + momentum * m[c];
                rv[c] = (1 - momentum) * rv[c] + momentum * v[c] * unbias;
            }
        }
    }

    @Override
    protected String describe() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum;
    }
}
