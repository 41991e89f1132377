package dev.gradbook.nn.conv;

/**
 * Max pooling: each output is the largest value in its window, channel by channel,
 * <pre>
 *   y[n, c, i, j] = max over u, v of  x[n, c, i*sh - ph + u, j*sw - pw + v]
 * </pre>
 * Padding counts as minus infinity (it never wins). Shapes: {@code (N, C, H, W) -> (N, C, Hout, Wout)},
 * {@code Hout = floor((H + 2p - k) / s) + 1}; the stride defaults to the kernel size, so that
 * windows tile the image (Ranzato et al., CVPR 2007; the layer of most CNNs since AlexNet).
 *
 * <p>Derivative: {@code dy/dx} is 1 for the element that was the maximum and 0 for the rest,
 * so the backward routes each output's gradient to the position of its argmax (on ties, the
 * first position in reading order; a NaN wins, as in PyTorch).
 */
public class MaxPool2d extends Pool2d {
    /** Non-overlapping square windows: stride = kernel, no padding. */
    public MaxPool2d(int kernelSize) {
        this(Window2d.square(kernelSize, kernelSize, 0));
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(Window2d.square(kernelSize, stride, padding));
    }

    public MaxPool2d(Window2d window) {
        super("MaxPool2d", checkPadding(window), false);
    }

    /** Kernel, stride, padding and ceil mode by name (the average-only {@code countIncludePad} is ignored). */
    public MaxPool2d(PoolOptions options) {
        super("MaxPool2d", options.window(), options.ceilMode());
    }

    /** A window padded by more than half the kernel could lie wholly in the padding, with no pixel to take. */
    private static Window2d checkPadding(Window2d window) {
        if (window.dilationH() != 1 || window.dilationW() != 1) {
            throw new IllegalArgumentException("MaxPool2d: dilated pooling is not supported, got " + window);
        }
        if (2 * window.padH() > window.kernelH() || 2 * window.padW() > window.kernelW()) {
            throw new IllegalArgumentException("MaxPool2d: padding must be at most half the kernel, got " + window);
        }
        return window;
    }

    /**
     * The largest value in the window of output (oy, ox) of one channel plane. The padding is
     * left out, which equals padding with minus infinity (the window always holds a real pixel).
     * {@code Math.max} lets a NaN win, as in PyTorch.
     */
    @Override
    protected float poolWindow(float[] x, int plane, int oy, int ox, int h, int w) {
        int y0 = oy * window.strideH() - window.padH();
        int x0 = ox * window.strideW() - window.padW();
        float max = Float.NEGATIVE_INFINITY;
        for (int y = Math.max(0, y0); y < Math.min(h, y0 + window.kernelH()); y++) {
            int row = (plane * h + y) * w;
            for (int at = row + Math.max(0, x0); at < row + Math.min(w, x0 + window.kernelW()); at++) {
                max = Math.max(max, x[at]);
            }
        }
        return max;
    }

    // d max / d x = 1 at the argmax, 0 elsewhere; the argmax is found again from the max
    @Override
    protected void backwardWindow(float[] x, float y, float gy, float[] gx, int plane, int oy, int ox, int h, int w) {
        gx[argmax(x, y, plane, oy, ox, h, w)] += gy;
    }

    /** Where in the same window {@code max} is: the first position in reading order holding it (or a NaN). */
    private int argmax(float[] x, float max, int plane, int oy, int ox, int h, int w) {
        int y0 = oy * window.strideH() - window.padH();
        int x0 = ox * window.strideW() - window.padW();
        for (int y = Math.max(0, y0); y < Math.min(h, y0 + window.kernelH()); y++) {
            int row = (plane * h + y) * w;
            for (int at = row + Math.max(0, x0); at < row + Math.min(w, x0 + window.kernelW()); at++) {
                if (x[at] == max || Float.isNaN(x[at])) {
                    return at;
                }
            }
        }
        throw new IllegalStateException("maxPool2d: the maximum " + max + " is not in its window");
    }
}
