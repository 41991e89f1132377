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
 * {@code fanIn = Cout*kh*kw} as PyTorch computes it from the weight's dimension 1.
 */
public class ConvTranspose2d extends Layer {
    public final int inChannels;
    public final int outChannels;
    public final Window2d window;
    public final Tensor weight;
    /** Null when built without a bias. */
    public final Tensor bias;

    /** Square kernel with the given stride and padding, with bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, Window2d.square(kernelSize, stride, padding), true, rng);
    }

    public ConvTranspose2d(int inChannels, int outChannels, Window2d window, boolean bias, Rng rng) {
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException("ConvTranspose2d: channel counts must be positive, got in="
                    + inChannels + ", out=" + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        int fanIn = outChannels * window.kernelH() * window.kernelW();
        this.weight = parameter("weight",
                Init.pytorchDefault(rng, fanIn, inChannels, outChannels, window.kernelH(), window.kernelW()));
        this.bias = bias ? parameter("bias", Init.pytorchDefault(rng, fanIn, outChannels)) : null;
    }

    /** {@code (size - 1) * stride - 2 * padding + kernel}: the inverse of the convolution's size formula. */
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
        int outH = outputSize(h, window.kernelH(), window.strideH(), window.padH());
        int outW = outputSize(w, window.kernelW(), window.strideW(), window.padW());
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(layer + ": input of shape " + Shape.format(x.shape())
                    + " gives an empty output (" + outH + " x " + outW + "): the padding is too large");
        }
        Tensor pixels = x.permute(0, 2, 3, 1).reshape(n * h * w, inChannels); // (N*H*W, Cin)
        Tensor patches = pixels.matmul(weight.reshape(inChannels, -1));     // (N*H*W, Cout*kh*kw)
        Tensor y = Im2col.col2im(patches, window, n, outChannels, outH, outW); // (N, Cout, Hout, Wout)
        return bias == null ? y : y.add(bias.reshape(outChannels, 1, 1));
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", " + window + (bias == null ? ", bias=false" : "");
    }
}
