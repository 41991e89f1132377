package dev.gradbook.transformer.fused;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
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
 * forward keeps {@code xhat} and {@code rstd} for the backward.
 */
public class FusedLayerNorm extends Layer {
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
        float[] xhat = new float[x.length];
        float[] rstd = new float[rows];
        float[] y = new float[x.length];
        float[] gamma = weight.data();
        float[] beta = bias.data();
        for (int r = 0; r < rows; r++) {
            int at = r * c;
            double sum = 0;
            for (int i = 0; i < c; i++) {
                sum += x[at + i];
            }
            float mu = (float) (sum / c);
            double squares = 0;
            for (int i = 0; i < c; i++) {
                float d = x[at + i] - mu;
                squares += d * d;
            }
            float s = (float) (1 / Math.sqrt(squares / c + eps));
            rstd[r] = s;
            for (int i = 0; i < c; i++) {
                float h = (x[at + i] - mu) * s;
                xhat[at + i] = h;
                y[at + i] = h * gamma[i] + beta[i];
            }
        }
        Tensor out = Tensor.wrap(y, input.shape());
        return Autograd.customOp("layerNorm", out, g -> backward(g.data(), xhat, rstd, gamma, c, input.shape()),
                input, weight, bias);
    }

    private static Tensor[] backward(float[] g, float[] xhat, float[] rstd, float[] gamma, int c, int[] shape) {
        int rows = rstd.length;
        float[] dx = new float[g.length];
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        for (int r = 0; r < rows; r++) {
            int at = r * c;
            double meanGh = 0;
            double meanGhXhat = 0;
            for (int i = 0; i < c; i++) {
                float gh = g[at + i] * gamma[i];
                meanGh += gh;
                meanGhXhat += gh * xhat[at + i];
                dGamma[i] += g[at + i] * xhat[at + i];
                dBeta[i] += g[at + i];
            }
            float m1 = (float) (meanGh / c);
            float m2 = (float) (meanGhXhat / c);
            float s = rstd[r];
            for (int i = 0; i < c; i++) {
                dx[at + i] = s * (g[at + i] * gamma[i] - m1 - xhat[at + i] * m2);
            }
        }
        return new Tensor[] {Tensor.wrap(dx, shape), Tensor.wrap(dGamma, c), Tensor.wrap(dBeta, c)};
    }

    @Override
    protected String describe() {
        return normalizedShape + ", eps=" + eps + ", fused";
    }
}
