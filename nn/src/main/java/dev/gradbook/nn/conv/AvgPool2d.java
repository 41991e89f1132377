package dev.gradbook.nn.conv;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;

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
public class AvgPool2d extends Layer {
    public final Window2d window;

    /** Non-overlapping square windows: stride = kernel. */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize);
    }

    public AvgPool2d(int kernelSize, int stride) {
        this.window = Window2d.square(kernelSize, stride, 0);
    }

    @Override
    public Tensor forward(Tensor x) {
        window.checkInput("AvgPool2d(" + describe() + ")", x);
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        int kh = window.kernelH();
        int kw = window.kernelW();
        int outH = window.outH(h);
        int outW = window.outW(w);
        float scale = 1f / (kh * kw);
        float[] in = x.data();
        float[] out = new float[n * c * outH * outW];
        int o = 0;
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++, o++) {
                    int corner = (plane * h + oy * window.strideH()) * w + ox * window.strideW();
                    double sum = 0;
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            sum += in[corner + ky * w + kx];
                        }
                    }
                    out[o] = (float) (sum * scale);
                }
            }
        }
        Tensor y = Tensor.wrap(out, n, c, outH, outW); // (N, C, Hout, Wout)
        // d mean / d x = 1/(kh kw) for each x of the window
        return Autograd.customOp("avgPool2d", y, g -> {
            float[] gx = new float[in.length];
            float[] gy = g.data();
            int i = 0;
            for (int plane = 0; plane < n * c; plane++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++, i++) {
                        int corner = (plane * h + oy * window.strideH()) * w + ox * window.strideW();
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                gx[corner + ky * w + kx] += gy[i] * scale;
                            }
                        }
                    }
                }
            }
            return new Tensor[] {Tensor.wrap(gx, n, c, h, w)};
        }, x);
    }

    @Override
    protected String describe() {
        return window.toString();
    }
}
