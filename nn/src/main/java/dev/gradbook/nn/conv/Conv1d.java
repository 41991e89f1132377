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
 *
 * <p>With dilation {@code d} the taps are {@code x[n, c, t*s - p + u*d]}, and with {@code G}
 * groups the weight is {@code (O, C/G, k)}, each block of outputs seeing one block of inputs
 * ({@link ConvOptions}); {@code fanIn = C/G*k}.
 */
public class Conv1d extends Layer {
    public final int inChannels;
    public final int outChannels;
    public final int kernelSize;
    public final int stride;
    public final int padding;
    public final int dilation;
    public final int groups;
    public final Tensor weight;
    /** Null when built without a bias. */
    public final Tensor bias;

    /** Stride 1, no padding, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, 0, true, rng);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, Rng rng) {
        this(inChannels, outChannels, kernelSize,
                ConvOptions.defaults().withStride(stride).withPadding(padding).withBias(bias), rng);
    }

    /** Stride, padding, dilation, groups and bias by name. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options, Rng rng) {
        options.checkGroups("Conv1d", inChannels, outChannels);
        if (options.outputPadding() != 0) {
            throw new IllegalArgumentException("Conv1d: outputPadding is for transposed convolutions, got " + options);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = options.stride();
        this.padding = options.padding();
        this.dilation = options.dilation();
        this.groups = options.groups();
        window(); // validates kernel, stride and padding
        int fanIn = inChannels / groups * kernelSize;
        this.weight = parameter("weight", Init.pytorchDefault(rng, fanIn, outChannels, inChannels / groups, kernelSize));
        this.bias = options.bias() ? parameter("bias", Init.pytorchDefault(rng, fanIn, outChannels)) : null;
    }

    /** The equivalent 2-D window: height 1, no vertical padding. */
    private Window2d window() {
        return new Window2d(1, kernelSize, 1, stride, 0, padding, 1, dilation);
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        int n = x.size(0);
        int length = x.size(2);
        Window2d window = window();
        int outL = window.outW(length);
        Tensor y = ConvOptions.perGroup(x, weight, groups, (xg, wg) -> {
            Tensor cols = Im2col.im2col(xg.reshape(n, xg.size(1), 1, length), window); // (N*Lout, C/G*k)
            Tensor yg = cols.matmulT(wg.reshape(wg.size(0), -1));                      // (N*Lout, O/G)
            return yg.reshape(n, outL, wg.size(0)).permute(0, 2, 1);                   // (N, O/G, Lout)
        });                                                                            // (N, O, Lout)
        return bias == null ? y : y.add(bias.reshape(outChannels, 1));
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
                + ", padding=" + padding + (dilation == 1 ? "" : ", dilation=" + dilation)
                + (groups == 1 ? "" : ", groups=" + groups) + (bias == null ? ", bias=false" : "");
    }
}
