package dev.gradbook.nn.conv;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;

/**
 * Pooling: a window slides over each channel plane of an image batch, and each output sums up
 * one window in a single number,
 * <pre>
 *   y[n, c, i, j] = pool over u, v of  x[n, c, i*sh - ph + u, j*sw - pw + v]
 * </pre>
 * in the geometry of {@link Window2d}. Channels never mix and nothing is learned, so a pooling
 * layer is fixed by two things, which the subclasses give: the summary of one window
 * ({@link MaxPool2d}: its largest value; {@link AvgPool2d}: its mean) and how the gradient of
 * that summary flows back into the window. This class visits every window, forward and backward.
 *
 * <p>Shapes: {@code (N, C, H, W) -> (N, C, Hout, Wout)}, {@code Hout = floor((H + 2p - k) / s) + 1},
 * or {@code ceil} in ceil mode (see {@link PoolOptions}); windows that run past the padded
 * image are cut at its edge.
 */
public abstract class Pool2d extends Layer {
    public final Window2d window;
    /** Round the output size up (see {@link PoolOptions#ceilMode}). */
    public final boolean ceilMode;
    private final String name;

    protected Pool2d(String name, Window2d window, boolean ceilMode) {
        this.name = name;
        this.window = window;
        this.ceilMode = ceilMode;
    }

    /** The output height for an input of height {@code h}. */
    public int outH(int h) {
        return PoolOptions.outputSize(h, window.kernelH(), window.strideH(), window.padH(), ceilMode);
    }

    /** The output width for an input of width {@code w}. */
    public int outW(int w) {
        return PoolOptions.outputSize(w, window.kernelW(), window.strideW(), window.padW(), ceilMode);
    }

    /** The summary of window (oy, ox) of channel plane {@code plane} of {@code x}, whose planes are {@code h x w}. */
    protected abstract float poolWindow(float[] x, int plane, int oy, int ox, int h, int w);

    /** Adds {@code gy * dy/dx} to {@code gx} for every {@code x} of the same window, whose summary is {@code y}. */
    protected abstract void backwardWindow(float[] x, float y, float gy, float[] gx,
                                           int plane, int oy, int ox, int h, int w);

    @Override
    public Tensor forward(Tensor x) {
        window.checkInput(name + "(" + describe() + ")", x);
        // N batch, C channels, H x W image: each of the N * C planes is pooled on its own
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        int outH = outH(h);
        int outW = outW(w);
        float[] in = x.data();
        float[] out = new float[n * c * outH * outW];
        int o = 0;
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++, o++) {
                    out[o] = poolWindow(in, plane, oy, ox, h, w);
                }
            }
        }
        Tensor y = Tensor.wrap(out, n, c, outH, outW); // (N, C, Hout, Wout)
        String op = Character.toLowerCase(name.charAt(0)) + name.substring(1); // e.g. maxPool2d
        // dL/dx = sum over the windows holding x of dL/dy * dy/dx
        return Autograd.customOp(op, y, g -> {
            float[] gx = new float[in.length];
            float[] gy = g.data();
            int i = 0;
            for (int plane = 0; plane < n * c; plane++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++, i++) {
                        backwardWindow(in, out[i], gy[i], gx, plane, oy, ox, h, w);
                    }
                }
            }
            return new Tensor[] {Tensor.wrap(gx, n, c, h, w)}; // (N, C, H, W)
        }, x);
    }

    @Override
    protected String describe() {
        return window + (ceilMode ? ", ceilMode=true" : "");
    }
}
