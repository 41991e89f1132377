package dev.gradbook.nn.conv;

/**
 * Average pooling: each output is the mean of its window, channel by channel,
 * <pre>
 *   y[n, c, i, j] = 1/|window| * sum over u, v of  x[n, c, i*sh - ph + u, j*sw - pw + v]
 * </pre>
 * with zeros in the padding. The divisor {@code |window|} is {@code kh kw}, or, when the window
 * runs past the padded image in ceil mode, the part of it inside the padded image; with
 * {@code countIncludePad = false} it is the number of real pixels in the window (PyTorch's
 * {@code count_include_pad}). Shapes: {@code (N, C, H, W) -> (N, C, Hout, Wout)}, see
 * {@link PoolOptions}; the stride defaults to the kernel size (LeNet-5's subsampling layers,
 * LeCun et al. 1998, used it with a trainable scale).
 *
 * <p>Derivative: {@code dy/dx = 1/|window|} for every real x in the window, so the backward
 * spreads each output's gradient evenly over its window (and sums where windows overlap).
 */
public class AvgPool2d extends Pool2d {
    private final boolean countIncludePad;

    /** Non-overlapping square windows: stride = kernel. */
    public AvgPool2d(int kernelSize) {
        this(PoolOptions.kernel(kernelSize));
    }

    public AvgPool2d(int kernelSize, int stride) {
        this(PoolOptions.kernel(kernelSize).withStride(stride));
    }

    public AvgPool2d(PoolOptions options) {
        super("AvgPool2d", options.window(), options.ceilMode());
        this.countIncludePad = options.countIncludePad();
    }

    /** The mean of the window. */
    @Override
    protected float poolWindow(float[] x, int plane, int oy, int ox, int h, int w) {
        Span r = span(oy, window.strideH(), window.padH(), window.kernelH(), h);
        Span c = span(ox, window.strideW(), window.padW(), window.kernelW(), w);
        double sum = 0;
        for (int y = r.from; y < r.to; y++) {
            for (int at = (plane * h + y) * w + c.from; at < (plane * h + y) * w + c.to; at++) {
                sum += x[at];
            }
        }
        return (float) (sum / divisor(r, c));
    }

    // d mean / d x = 1/|window| for each real x of the window
    @Override
    protected void backwardWindow(float[] x, float y, float gy, float[] gx, int plane, int oy, int ox, int h, int w) {
        Span r = span(oy, window.strideH(), window.padH(), window.kernelH(), h);
        Span c = span(ox, window.strideW(), window.padW(), window.kernelW(), w);
        float share = (float) (gy / divisor(r, c));
        for (int yy = r.from; yy < r.to; yy++) {
            for (int at = (plane * h + yy) * w + c.from; at < (plane * h + yy) * w + c.to; at++) {
                gx[at] += share;
            }
        }
    }

    private double divisor(Span r, Span c) {
        return countIncludePad ? (double) r.padded * c.padded : (double) (r.to - r.from) * (c.to - c.from);
    }

    /**
     * One axis of a window: the real pixels {@code [from, to)} it covers, and {@code padded}, its
     * length inside the padded image {@code [-p, size + p)}.
     */
    private record Span(int from, int to, int padded) {
    }

    private static Span span(int o, int stride, int pad, int kernel, int size) {
        int start = o * stride - pad;
        int end = Math.min(start + kernel, size + pad);
        return new Span(Math.max(start, 0), Math.min(end, size), end - start);
    }

    @Override
    protected String describe() {
        return super.describe() + (countIncludePad ? "" : ", countIncludePad=false");
    }
}
