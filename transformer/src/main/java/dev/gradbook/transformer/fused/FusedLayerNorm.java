package dev.gradbook.transformer.fused;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.StepArena;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Parallel;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.LayerNorm;

/**
 * {@link LayerNorm} in one pass forward and one backward: the twin of a LayerNorm, sharing its
 * parameter tensors ({@code weight} = gamma, {@code bias} = beta, under the same names), with the
 * same results to float rounding.
 *
 * <p>Forward, for each row {@code x} of {@code C} values:
 * <pre>
 *   mu = mean(x),  rstd = 1 / sqrt(mean((x - mu)^2) + eps),  xhat = (x - mu) rstd,  y = xhat gamma + beta
 * </pre>
 * Backward, with {@code g = dL/dy} and {@code gh = g gamma} (the gradient reaching xhat):
 * <pre>
 *   dL/dgamma = sum over rows of g xhat,   dL/dbeta = sum over rows of g
 *   dL/dx     = rstd (gh - mean(gh) - xhat mean(gh xhat))
 * </pre>
 * The last line is the chain rule through mu and rstd collapsed: moving x shifts the mean (the
 * {@code - mean(gh)} term) and scales the spread (the {@code - xhat mean(gh xhat)} term). The
 * forward keeps {@code xhat} and {@code rstd} for the backward. Blocks of rows run on the matmul
 * kernel's threads ({@link Parallel}); {@code dGamma} and {@code dBeta} are summed per block, then
 * over the blocks in order, so the number of threads does not change a bit of the result.
 */
public class FusedLayerNorm extends Layer {
    /** Rows per block of work (see {@link Parallel}): the partial sums of the backward are per block. */
    private static final int ROWS_PER_BLOCK = 32;
    public final int normalizedShape;
    public final float eps;
    public final Tensor weight;
    public final Tensor bias;

    /** The twin of {@code readable}, which must have gamma and beta ({@code elementwiseAffine}). */
    public FusedLayerNorm(LayerNorm readable) {
        if (readable.weight == null || readable.bias == null) {
            throw new IllegalArgumentException("FusedLayerNorm: the LayerNorm(" + readable.normalizedShape
                    + ") has no gamma and beta (elementwiseAffine = false)");
        }
        this.normalizedShape = readable.normalizedShape;
        this.eps = readable.eps;
        this.weight = parameter("weight", readable.weight);
        this.bias = parameter("bias", readable.bias);
    }

    @Override
    public Tensor forward(Tensor input) {
        int c = normalizedShape;
        if (input.dim() == 0 || input.size(-1) != c) {
            throw new IllegalArgumentException("FusedLayerNorm(" + c + "): input of shape "
                    + Shape.format(input.shape()) + " does not end in " + c);
        }
        float[] x = input.data();
        int rows = x.length / c;
        float[] xhat = StepArena.floats(x.length);
        float[] rstd = StepArena.floats(rows);
        float[] y = StepArena.floats(x.length);
        float[] gamma = weight.data();
        float[] beta = bias.data();
        Parallel.forEachBlock(rows, ROWS_PER_BLOCK, 6L * c, (block, from, to) -> {
            for (int r = from; r < to; r++) {
                int at = r * c;
                float mu = (float) (sum(x, at, c) / c);
                double squares = 0;
                for (int i = 0; i < c; i++) {
                    float d = x[at + i] - mu;
                    xhat[at + i] = d;
                    squares += d * d;
                }
                float s = (float) (1 / Math.sqrt(squares / c + eps));
                rstd[r] = s;
                for (int i = 0; i < c; i++) {
                    float h = xhat[at + i] * s;
                    xhat[at + i] = h;
                    y[at + i] = h * gamma[i] + beta[i];
                }
            }
        });
        Tensor out = Tensor.wrap(y, input.shape());
        return Autograd.customOp("layerNorm", out, g -> backward(g.data(), xhat, rstd, gamma, c, input.shape()),
                input, weight, bias);
    }

    /** {@code x[at] + ... + x[at + n - 1]} with four running sums (four times the speed of one). */
    private static double sum(float[] x, int at, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[at + i];
            s1 += x[at + i + 1];
            s2 += x[at + i + 2];
            s3 += x[at + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[at + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The backward over blocks of rows; {@code dGamma} and {@code dBeta}, sums over all rows, are
     * summed per block and then over the blocks in order, so the thread count does not change them.
     */
    private static Tensor[] backward(float[] g, float[] xhat, float[] rstd, float[] gamma, int c, int[] shape) {
        int rows = rstd.length;
        float[] dx = StepArena.floats(g.length);
        int blocks = Parallel.blocks(rows, ROWS_PER_BLOCK);
        float[][] dGammaParts = new float[blocks][c];
        float[][] dBetaParts = new float[blocks][c];
        Parallel.forEachBlock(rows, ROWS_PER_BLOCK, 8L * c, (block, from, to) -> {
            float[] dGamma = dGammaParts[block];
            float[] dBeta = dBetaParts[block];
            for (int r = from; r < to; r++) {
                int at = r * c;
                double meanGh = 0;
                double meanGhXhat = 0;
                for (int i = 0; i < c; i++) {
                    float gh = g[at + i] * gamma[i];
                    dx[at + i] = gh;
                    meanGh += gh;
                    meanGhXhat += gh * xhat[at + i];
                    dGamma[i] += g[at + i] * xhat[at + i];
                    dBeta[i] += g[at + i];
                }
                float m1 = (float) (meanGh / c);
                float m2 = (float) (meanGhXhat / c);
                float s = rstd[r];
                for (int i = 0; i < c; i++) {
                    dx[at + i] = s * (dx[at + i] - m1 - xhat[at + i] * m2);
                }
            }
        });
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        for (int block = 0; block < blocks; block++) {
            for (int i = 0; i < c; i++) {
                dGamma[i] += dGammaParts[block][i];
                dBeta[i] += dBetaParts[block][i];
            }
        }
        return new Tensor[] {Tensor.wrap(dx, shape), Tensor.wrap(dGamma, c), Tensor.wrap(dBeta, c)};
    }

    @Override
    protected String describe() {
        return normalizedShape + ", eps=" + eps + ", fused";
    }
}
