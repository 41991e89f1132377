package dev.gradbook.nn.conv;

import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * The settings of a convolution, read by name at the call site, with PyTorch's defaults:
 * <pre>{@code
 * new Conv2d(64, 64, 3, ConvOptions.defaults().withPadding(2).withDilation(2).withGroups(64), rng)
 * new ConvTranspose2d(32, 16, 3, ConvOptions.defaults().withStride(2).withPadding(1).withOutputPadding(1), rng)
 * }</pre>
 *
 * @param stride        step between windows
 * @param padding       zeros added on every side
 * @param dilation      distance between the taps of the kernel (see {@link Window2d})
 * @param groups        the channels split into this many groups, each convolved only with its
 *                      own slice of the weight (Krizhevsky et al. 2012 split AlexNet over two
 *                      GPUs this way; {@code groups = channels} is a depthwise convolution)
 * @param outputPadding transposed convolution only: rows and columns added to one side of the
 *                      output, to pick among the sizes that a strided convolution maps to the
 *                      same input size; must be smaller than the stride
 * @param bias          whether the layer adds a learned bias per output channel
 */
public record ConvOptions(int stride, int padding, int dilation, int groups, int outputPadding, boolean bias) {

    public ConvOptions {
        if (stride <= 0 || padding < 0 || dilation <= 0 || groups <= 0 || outputPadding < 0
                || outputPadding >= stride && outputPadding > 0) {
            throw new IllegalArgumentException("ConvOptions: needs stride, dilation and groups > 0, padding >= 0 and "
                    + "0 <= outputPadding < stride, got stride=" + stride + ", padding=" + padding + ", dilation="
                    + dilation + ", groups=" + groups + ", outputPadding=" + outputPadding);
        }
    }

    /** Stride 1, no padding, no dilation, one group, no output padding, with bias. */
    public static ConvOptions defaults() {
        return new ConvOptions(1, 0, 1, 1, 0, true);
    }

    public ConvOptions withStride(int s) {
        return new ConvOptions(s, padding, dilation, groups, outputPadding, bias);
    }

    public ConvOptions withPadding(int p) {
        return new ConvOptions(stride, p, dilation, groups, outputPadding, bias);
    }

    public ConvOptions withDilation(int d) {
        return new ConvOptions(stride, padding, d, groups, outputPadding, bias);
    }

    public ConvOptions withGroups(int g) {
        return new ConvOptions(stride, padding, dilation, g, outputPadding, bias);
    }

    public ConvOptions withOutputPadding(int p) {
        return new ConvOptions(stride, padding, dilation, groups, p, bias);
    }

    public ConvOptions withBias(boolean b) {
        return new ConvOptions(stride, padding, dilation, groups, outputPadding, b);
    }

    /** The window of a {@code kh x kw} kernel with these settings. */
    Window2d window(int kh, int kw) {
        return new Window2d(kh, kw, stride, stride, padding, padding, dilation, dilation);
    }

    /** Checks that both channel counts split into {@code groups}, naming {@code layer}. */
    void checkGroups(String layer, int inChannels, int outChannels) {
        if (inChannels <= 0 || outChannels <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(layer + ": channel counts must be positive and divisible by groups="
                    + groups + ", got in=" + inChannels + ", out=" + outChannels);
        }
    }

    /**
     * A grouped convolution composed from plain ones: group {@code g} convolves input channels
     * {@code [g Cin/G, (g+1) Cin/G)} with weight rows {@code [g W0/G, (g+1) W0/G)}, and the
     * outputs are concatenated along the channels. Autograd differentiates narrow and cat.
     */
    static Tensor perGroup(Tensor x, Tensor weight, int groups, BinaryOperator<Tensor> conv) {
        if (groups == 1) {
            return conv.apply(x, weight);
        }
        int in = x.size(1) / groups;
        int rows = weight.size(0) / groups;
        List<Tensor> outs = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            outs.add(conv.apply(x.narrow(1, g * in, in), weight.narrow(0, g * rows, rows)));
        }
        return Tensor.cat(outs, 1);
    }
}
