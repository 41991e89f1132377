package dev.gradbook.nn.conv;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Layer;

/**
 * A transposed convolution ("deconvolution", "fractionally strided convolution"): the adjoint
 * of {@link Conv2d}, used to upsample in decoders and GAN generators.
 *
 * <p>Where a convolution gathers a window of inputs into one output, its transpose scatters
 * each input, scaled by the kernel, into a window of the output, and sums where windows
 * overlap:
 * <pre>
 *   y[n, o, i*s - p + u, j*s - p + v] += x[n, c, i, j] * W[c, o, u, v]      (+ b[o] once per pixel)
 * </pre>
 * Shapes: input {@code (N, Cin, H, W)}, weight {@code (Cin, Cout, kh, kw)} (PyTorch's layout),
 * bias {@code (Cout)}, output {@code (N, Cout, Hout, Wout)} with
 * <pre>
 *   Hout = (H - 1) s - 2p + k        (likewise Wout)
 * </pre>
 * the size whose convolution with the same window has size H (Dumoulin and Visin, "A guide to
 * convolution arithmetic for deep learning", 2016, section 4).
 *
 * <p>Computation: the Conv2d with this weight read as {@code (Cout -> Cin)} is
 * {@code y = im2col(z) · Wᵀ}; its adjoint is {@code x -> col2im(x · W)}. So each input pixel's
 * channel vector is multiplied by the weight matrix {@code (Cin, Cout*kh*kw)} to give a patch,
 * and {@link Im2col#col2im} adds the patches into the image. PyTorch's default init, with
 * {@code fanIn = Cout/G*kh*kw} as PyTorch computes it from the weight's dimension 1.
 *
 * <p>Options ({@link ConvOptions}): dilation {@code d} spreads the scattered window's taps
 * {@code d} apart; {@code G} groups make the weight {@code (Cin, Cout/G, kh, kw)}, input block
 * {@code g} scattering only into output block {@code g}; output padding {@code op < s} adds
 * {@code op} rows and columns at the bottom and right, so that
 * <pre>
 *   Hout = (H - 1) s - 2p + d (k - 1) + op + 1
 * </pre>
 * (a strided convolution maps {@code s} different sizes to the same H; op picks one of them).
 */
public class ConvTranspose2d extends Layer {
    public final int inChannels;
    public final int outChannels;
    public final Window2d window;
    public final int groups;
    public final int outputPadding;
    public final Tensor weight;
    /** Null when built without a bias. */
    public final Tensor bias;

    /** Square kernel with the given stride and padding, with bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, Window2d.square(kernelSize, stride, padding), true, rng);
    }

    public ConvTranspose2d(int inChannels, int outChannels, Window2d window, boolean bias, Rng rng) {
        this(inChannels, outChannels, window, 1, 0, bias, rng);
    }

    /** Square kernel with stride, padding, dilation, groups, output padding and bias by name. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, ConvOptions options, Rng rng) {
        this(inChannels, outChannels, options.window(kernelSize, kernelSize), options.groups(),
                options.outputPadding(), options.bias(), rng);
    }

    private ConvTranspose2d(int inChannels, int outChannels, Window2d window, int groups, int outputPadding,
                            boolean bias, Rng rng) {
        ConvOptions.defaults().withGroups(groups).checkGroups("ConvTranspose2d", inChannels, outChannels);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        this.groups = groups;
        this.outputPadding = outputPadding;
        int perGroup = outChannels / groups;
        int fanIn = perGroup * window.kernelH() * window.kernelW();
        this.weight = parameter("weight",
                Init.pytorchDefault(rng, fanIn, inChannels, perGroup, window.kernelH(), window.kernelW()));
        this.bias = bias ? parameter("bias", Init.pytorchDefault(rng, fanIn, outChannels)) : null;
    }

    /**
     * {@code (size - 1) * stride - 2 * padding + kernel}: the inverse of the convolution's size
     * formula ({@code kernel} is the span {@code d(k - 1) + 1} of a dilated kernel; output padding
     * is added on top).
     */
    public static int outputSize(int size, int kernel, int stride, int padding) {
        return (size - 1) * stride - 2 * padding + kernel;
    }

    @Override
    public Tensor forward(Tensor x) {
        String layer = "ConvTranspose2d(" + describe() + ")";
        if (x.dim() != 4 || x.size(1) != inChannels) {
            throw new IllegalArgumentException(layer + ": expects input (N, " + inChannels + ", H, W), got shape "
                    + Shape.format(x.shape()));
        }
        int n = x.size(0);
        int h = x.size(2);
        int w = x.size(3);
        int outH = outputSize(h, window.spanH(), window.strideH(), window.padH()) + outputPadding;
        int outW = outputSize(w, window.spanW(), window.strideW(), window.padW()) + outputPadding;
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(layer + ": input of shape " + Shape.format(x.shape())
                    + " gives an empty output (" + outH + " x " + outW + "): the padding is too large");
        }
        Tensor y = ConvOptions.perGroup(x, weight, groups, (xg, wg) -> {
            int cin = xg.size(1);
            Tensor pixels = xg.permute(0, 2, 3, 1).reshape(n * h * w, cin);        // (N*H*W, Cin/G)
            Tensor patches = pixels.matmul(wg.reshape(cin, -1));                  // (N*H*W, Cout/G*kh*kw)
            return Im2col.col2im(patches, window, n, wg.size(1), outH, outW);     // (N, Cout/G, Hout, Wout)
        });                                                                       // (N, Cout, Hout, Wout)
        return bias == null ? y : y.add(bias.reshape(outChannels, 1, 1));
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", " + window + (groups == 1 ? "" : ", groups=" + groups)
                + (outputPadding == 0 ? "" : ", outputPadding=" + outputPadding) + (bias == null ? ", bias=false" : "");
    }
}
