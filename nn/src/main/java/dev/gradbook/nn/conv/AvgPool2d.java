package dev.gradbook.nn.conv;

/**
 * Average pooling: each output is the mean of its {@code kh x kw} window, channel by channel,
 * <pre>
 *   y[n, c, i, j] = 1/(kh kw) * sum over u, v of  x[n, c, i*sh + u, j*sw + v]
 * </pre>
 * Shapes: {@code (N, C, H, W) -> (N, C, Hout, Wout)}, {@code Hout = floor((H - k) / s) + 1}; the
 * stride defaults to the kernel size (LeNet-5's subsampling layers, LeCun et al. 1998, used it
 * with a trainable scale).
 *
 * <p>Derivative: {@code dy/dx = 1/(kh kw)} for every x in the window, so the backward spreads
 * each output's gradient evenly over its window (and sums where windows overlap).
 */
public class AvgPool2d extends Pool2d {
    private final float scale; // 1/(kh kw)

    /** Non-overlapping square windows: stride = kernel. */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize);
    }

    public AvgPool2d(int kernelSize, int stride) {
        super("AvgPool2d", Window2d.square(kernelSize, stride, 0));
        this.scale = 1f / (window.kernelH() * window.kernelW());
    }

    /** The mean of the window. */
    @Override
    protected float poolWindow(float[] x, int plane, int oy, int ox, int h, int w) {
        int corner = corner(plane, oy, ox, h, w);
        double sum = 0;
        for (int ky = 0; ky < window.kernelH(); ky++) {
            for (int kx = 0; kx < window.kernelW(); kx++) {
                sum += x[corner + ky * w + kx];
            }
        }
        return (float) (sum * scale);
    }

    // d mean / d x = 1/(kh kw) for each x of the window
    @Override
    protected void backwardWindow(float[] x, float y, float gy, float[] gx, int plane, int oy, int ox, int h, int w) {
        int corner = corner(plane, oy, ox, h, w);
        for (int ky = 0; ky < window.kernelH(); ky++) {
            for (int kx = 0; kx < window.kernelW(); kx++) {
                gx[corner + ky * w + kx] += gy * scale;
            }
        }
    }

    /** Where the window of output (oy, ox) starts: the flat index of its top-left input (there is no padding). */
    private int corner(int plane, int oy, int ox, int h, int w) {
        return (plane * h + oy * window.strideH()) * w + ox * window.strideW();
    }
}
