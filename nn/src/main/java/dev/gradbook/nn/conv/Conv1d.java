package dev.gradbook.nn.conv;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Layer;

/**
 * A 1-D convolution over sequences (audio, text embeddings, time series):
 * <pre>
 *   y[n, o, t] = b[o] + sum over c, u of  W[o, c, u] * x[n, c, t*s - p + u]
 * </pre>
 * with zeros in the padding. Shapes: input {@code (N, C, L)}, weight {@code (O, C, k)}, bias
 * {@code (O)}, output {@code (N, O, Lout)} with {@code Lout = floor((L + 2p - k) / s) + 1}.
 *
 * <p>A sequence is an image of height 1, so this is {@link Conv2d}'s computation with a
 * {@code 1 x k} window: im2col, then one matrix product with the weight flattened to
 * {@code (O, C*k)}. Initialisation as PyTorch: {@code U(-1/sqrt(C*k), 1/sqrt(C*k))}.
 */
public class Conv1d extends Layer {
    public final int inChannels;
    public final int outChannels;
    public final int kernelSize;
    public final int stride;
    public final int padding;
    public final Tensor weight;
    /** Null when built without a bias. */
    public final Tensor bias;

    /** Stride 1, no padding, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, 0, true, rng);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, Rng rng) {
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException("Conv1d: channel counts must be positive, got in=" + inChannels
                    + ", out=" + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        window(); // validates kernel, stride and padding
        int fanIn = inChannels * kernelSize;
        this.weight = parameter("weight", Init.pytorchDefault(rng, fanIn, outChannels, inChannels, kernelSize));
        this.bias = bias ? parameter("bias", Init.pytorchDefault(rng, fanIn, outChannels)) : null;
    }

    /** The equivalent 2-D window: height 1, no vertical padding. */
    private Window2d window() {
        return new Window2d(1, kernelSize, 1, stride, 0, padding);
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        int n = x.size(0);
        int length = x.size(2);
        Window2d window = window();
        int outL = window.outW(length);
        Tensor cols = Im2col.im2col(x.reshape(n, inChannels, 1, length), window); // (N*Lout, C*k)
        Tensor y = cols.matmulT(weight.reshape(outChannels, -1));                 // (N*Lout, O)
        if (bias != null) {
            y = y.add(bias);
        }
        return y.reshape(n, outL, outChannels).permute(0, 2, 1); // (N, O, Lout)
    }

    private void checkInput(Tensor x) {
        String layer = "Conv1d(" + describe() + ")";
        if (x.dim() != 3) {
            throw new IllegalArgumentException(layer + ": expects input (N, C, L), got shape "
                    + Shape.format(x.shape()));
        }
        if (x.size(1) != inChannels) {
            throw new IllegalArgumentException(layer + ": expects " + inChannels + " input channels, got shape "
                    + Shape.format(x.shape()) + " with " + x.size(1));
        }
        if (window().outW(x.size(2)) == 0) {
            throw new IllegalArgumentException(layer + ": input of shape " + Shape.format(x.shape())
                    + " is shorter than the (padded) kernel");
        }
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel=" + kernelSize + ", stride=" + stride
                + ", padding=" + padding + (bias == null ? ", bias=false" : "");
    }
}
