package dev.gradbook.nn.conv;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;

/**
 * Enlarges images by an integer factor {@code s}: {@code (N, C, H, W) -> (N, C, sH, sW)}.
 *
 * <ul>
 *   <li>{@link Mode#NEAREST}: every pixel becomes an {@code s x s} block,
 *       {@code y[i, j] = x[floor(i/s), floor(j/s)]}.</li>
 *   <li>{@link Mode#BILINEAR}: each output pixel centre is mapped back to the input,
 *       {@code src = (i + 0.5)/s - 0.5} (clamped at 0), between rows {@code i0 = floor(src)} and
 *       {@code i1 = min(i0 + 1, H - 1)} at fraction {@code a = src - i0}, and likewise for columns;
 *       <pre>
 *   y = (1-a)(1-b) x[i0, j0] + (1-a) b x[i0, j1] + a (1-b) x[i1, j0] + a b x[i1, j1]
 *       </pre>
 *       PyTorch's {@code align_corners=False}.</li>
 * </ul>
 * Both are the same weighted lookup (nearest is bilinear with both fractions 0), so one pair
 * of loops serves both. The output is linear in {@code x}: its backward adds each output
 * gradient, times the same four weights, back to the four input pixels it read.
 */
public class Upsample extends Layer {
    /** How the new pixels are filled in. */
    public enum Mode { NEAREST, BILINEAR }

    public final int scaleFactor;
    public final Mode mode;

    /** Nearest-neighbour upsampling. */
    public Upsample(int scaleFactor) {
        this(scaleFactor, Mode.NEAREST);
    }

    public Upsample(int scaleFactor, Mode mode) {
        if (scaleFactor <= 0) {
            throw new IllegalArgumentException("Upsample: scale factor must be positive, got " + scaleFactor);
        }
        this.scaleFactor = scaleFactor;
        this.mode = mode;
    }

    /** Where output row (or column) {@code d} reads: {@code lower[d]}, {@code upper[d]} and the weight of upper. */
    private record Taps(int[] lower, int[] upper, float[] fraction) {
    }

    private Taps taps(int size) {
        int out = size * scaleFactor;
        Taps t = new Taps(new int[out], new int[out], new float[out]);
        for (int d = 0; d < out; d++) {
            if (mode == Mode.NEAREST) {
                t.lower[d] = d / scaleFactor;
                t.upper[d] = t.lower[d];
            } else {
                double src = Math.max(0, (d + 0.5) / scaleFactor - 0.5);
                t.lower[d] = (int) src;
                t.upper[d] = Math.min(t.lower[d] + 1, size - 1);
                t.fraction[d] = (float) (src - t.lower[d]);
            }
        }
        return t;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("Upsample(" + describe() + "): expects input (N, C, H, W), got shape "
                    + Shape.format(x.shape()));
        }
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        Taps rows = taps(h);
        Taps cols = taps(w);
        int outH = h * scaleFactor;
        int outW = w * scaleFactor;
        float[] in = x.data();
        float[] out = new float[n * c * outH * outW];
        for (int plane = 0, o = 0; plane < n * c; plane++) {
            for (int i = 0; i < outH; i++) {
                float a = rows.fraction[i];
                int r0 = (plane * h + rows.lower[i]) * w;
                int r1 = (plane * h + rows.upper[i]) * w;
                for (int j = 0; j < outW; j++, o++) {
                    float b = cols.fraction[j];
                    int j0 = cols.lower[j];
                    int j1 = cols.upper[j];
                    out[o] = (1 - a) * ((1 - b) * in[r0 + j0] + b * in[r0 + j1])
                            + a * ((1 - b) * in[r1 + j0] + b * in[r1 + j1]);
                }
            }
        }
        Tensor y = Tensor.wrap(out, n, c, outH, outW); // (N, C, sH, sW)
        // y is a weighted sum of four x values: dy/dx is that weight
        return Autograd.customOp("upsample", y, g -> {
            float[] gx = new float[in.length];
            float[] gy = g.data();
            for (int plane = 0, o = 0; plane < n * c; plane++) {
                for (int i = 0; i < outH; i++) {
                    float a = rows.fraction[i];
                    int r0 = (plane * h + rows.lower[i]) * w;
                    int r1 = (plane * h + rows.upper[i]) * w;
                    for (int j = 0; j < outW; j++, o++) {
                        float b = cols.fraction[j];
                        gx[r0 + cols.lower[j]] += (1 - a) * (1 - b) * gy[o];
                        gx[r0 + cols.upper[j]] += (1 - a) * b * gy[o];
                        gx[r1 + cols.lower[j]] += a * (1 - b) * gy[o];
                        gx[r1 + cols.upper[j]] += a * b * gy[o];
                    }
                }
            }
            return new Tensor[] {Tensor.wrap(gx, n, c, h, w)};
        }, x);
    }

    @Override
    protected String describe() {
        return "scale=" + scaleFactor + ", mode=" + mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
