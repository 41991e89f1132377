package dev.gradbook.nn.conv;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Layer;

/**
 * A 2-D convolution (strictly, a cross-correlation, as in every deep-learning library):
 * <pre>
 *   y[n, o, i, j] = b[o] + sum over c, u, v of  W[o, c, u, v] * x[n, c, i*sh - ph + u, j*sw - pw + v]
 * </pre>
 * with zeros wherever the index falls into the padding (LeCun et al., "Gradient-based learning
 * applied to document recognition", 1998, section II.A).
 *
 * <p>Shapes: input {@code (N, C, H, W)}, weight {@code (O, C, kh, kw)}, bias {@code (O)}, output
 * {@code (N, O, Hout, Wout)} with
 * <pre>
 *   Hout = floor((H + 2p - k) / s) + 1        (likewise Wout)
 * </pre>
 * The sum is computed as {@code im2col(x) · Wᵀ}: every patch of the input becomes a row, and the
 * convolution is one matrix product with the flattened weight (see {@link Im2col}). Autograd
 * differentiates the product, and Im2col's backward sums the patch gradients back into the image.
 *
 * <p>Initialisation as PyTorch: weight and bias {@code ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn))},
 * {@code fanIn = C/groups*kh*kw} (Kaiming-uniform with {@code a = sqrt(5)}).
 *
 * <p>Dilation spreads the kernel's taps {@code d} apart, {@code x[.., i*s - p + u*d, ..]}, and
 * groups split the channels: with {@code G} groups the weight is {@code (O, C/G, kh, kw)} and
 * output channel block {@code g} sees only input channel block {@code g} (see {@link ConvOptions}).
 */
public class Conv2d extends Layer {
    public final int inChannels;
    public final int outChannels;
    public final Window2d window;
    public final int groups;
    public final Tensor weight;
    /** Null when built without a bias. */
    public final Tensor bias;

    /** Square kernel, stride 1, no padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, 0, rng);
    }

    /** Square kernel with the given stride and padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, Window2d.square(kernelSize, stride, padding), true, rng);
    }

    public Conv2d(int inChannels, int outChannels, Window2d window, boolean bias, Rng rng) {
        this(inChannels, outChannels, window, 1, bias, rng);
    }

    /** Square kernel with stride, padding, dilation, groups and bias by name. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, ConvOptions options, Rng rng) {
        this(inChannels, outChannels, options.window(kernelSize, kernelSize), options.groups(), options.bias(), rng);
        if (options.outputPadding() != 0) {
            throw new IllegalArgumentException("Conv2d: outputPadding is for ConvTranspose2d, got " + options);
        }
    }

    private Conv2d(int inChannels, int outChannels, Window2d window, int groups, boolean bias, Rng rng) {
        ConvOptions.defaults().withGroups(groups).checkGroups("Conv2d", inChannels, outChannels);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        this.groups = groups;
        int perGroup = inChannels / groups;
        int fanIn = perGroup * window.kernelH() * window.kernelW();
        this.weight = parameter("weight",
                Init.pytorchDefault(rng, fanIn, outChannels, perGroup, window.kernelH(), window.kernelW()));
        this.bias = bias ? parameter("bias", Init.pytorchDefault(rng, fanIn, outChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        int n = x.size(0);
        int outH = window.outH(x.size(2));
        int outW = window.outW(x.size(3));
        Tensor y = ConvOptions.perGroup(x, weight, groups, (xg, wg) -> {
            Tensor cols = Im2col.im2col(xg, window);                    // (N*Hout*Wout, C/G*kh*kw)
            Tensor w = wg.reshape(wg.size(0), -1);                      // (O/G, C/G*kh*kw)
            Tensor yg = cols.matmulT(w);                                // (N*Hout*Wout, O/G)
            return yg.reshape(n, outH, outW, wg.size(0)).permute(0, 3, 1, 2); // (N, O/G, Hout, Wout)
        });                                                             // (N, O, Hout, Wout)
        return bias == null ? y : y.add(bias.reshape(outChannels, 1, 1));
    }

    private void checkInput(Tensor x) {
        String layer = "Conv2d(" + describe() + ")";
        window.checkInput(layer, x);
        if (x.size(1) != inChannels) {
            throw new IllegalArgumentException(layer + ": expects " + inChannels + " input channels, got shape "
                    + Shape.format(x.shape()) + " with " + x.size(1));
        }
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", " + window + (groups == 1 ? "" : ", groups=" + groups)
                + (bias == null ? ", bias=false" : "");
    }
}
