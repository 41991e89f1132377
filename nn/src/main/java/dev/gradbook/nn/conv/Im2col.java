package dev.gradbook.nn.conv;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Kernels;

import java.util.stream.IntStream;

/**
 * Turns convolution into one matrix product by copying every patch of the input into a row of
 * a matrix (Chellapilla, Puri and Simard, "High performance convolutional neural networks for
 * document processing", 2006). Caffe, which named it "image to columns", stores each patch as a
 * column; we store the transpose, one patch per row, for the reason below.
 *
 * <p>One image with one channel, a 2 x 2 window, stride 1, no padding:
 * <pre>
 *                      im2col               one row per output position (oy, ox),
 *   a b c          ------------->           one column per (ch, ky, kx) of the window
 *   d e f                                     (0,0):  a b d e
 *   g h i          &lt;-------------             (0,1):  b c e f
 *                      col2im                 (1,0):  d e g h
 *                 (sums the copies)           (1,1):  e f h i
 * </pre>
 * The layout is {@code (N*Hout*Wout, C*kh*kw)}: all images' patches stacked, one per row. Then
 * a convolution with weight {@code (O, C, kh, kw)}, seen as a matrix {@code (O, C*kh*kw)}, is a
 * {@link dev.gradbook.nn.Linear} layer applied to every patch: {@code cols · Wᵀ} is a single
 * large product {@code (N*L, K) x (K, O)}, with {@code L = Hout*Wout} and {@code K = C*kh*kw},
 * and so are both products of its backward. (Putting the batch in a leading dimension instead,
 * {@code (N, K, L)}, would cost N small products.) The price is the result's layout,
 * {@code (N, Hout, Wout, O)} with channels last, which one permute turns into {@code (N, O, Hout, Wout)}.
 *
 * <p>Padding positions read as zeros. A value of {@code x} is copied into every patch that
 * covers it (value {@code e} above appears four times), so the derivative of im2col sends
 * each column entry back to where it was copied from and sums the copies: that is col2im.
 * The two maps are adjoint, {@code <im2col(x), y> = <x, col2im(y)>}, and each is the other's
 * backward. Both are written as loops and registered with {@link Autograd#customOp}.
 */
public final class Im2col {
    private Im2col() {
    }

    /** Patches of {@code x (N, C, H, W)} as rows: {@code (N*Hout*Wout, C*kh*kw)}. */
    public static Tensor im2col(Tensor x, Window2d win) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("im2col: expects (N, C, H, W), got shape " + Shape.format(x.shape()));
        }
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        if (!win.fits(h, w)) {
            throw new IllegalArgumentException("im2col: window " + win + " does not fit an input of shape "
                    + Shape.format(x.shape()));
        }
        Tensor cols = Tensor.wrap(unfold(x.data(), n, c, h, w, win),
                n * win.outH(h) * win.outW(w), c * win.kernelH() * win.kernelW()); // (N*L, K)
        // each x value was copied into several rows: d/dx sums the gradients of its copies (col2im)
        return Autograd.customOp("im2col", cols,
                g -> new Tensor[] {Tensor.wrap(fold(g.data(), n, c, h, w, win), n, c, h, w)}, x);
    }

    /**
     * The adjoint of {@link #im2col}: adds every row of {@code cols (N*Hout*Wout, C*kh*kw)} back
     * into its patch of an {@code (N, C, H, W)} image, summing where patches overlap.
     */
    public static Tensor col2im(Tensor cols, Window2d win, int n, int c, int h, int w) {
        int rows = n * win.outH(h) * win.outW(w);
        int patch = c * win.kernelH() * win.kernelW();
        if (cols.dim() != 2 || cols.size(0) != rows || cols.size(1) != patch || rows == 0) {
            throw new IllegalArgumentException("col2im: columns of shape " + Shape.format(cols.shape())
                    + " do not match an image " + Shape.format(new int[] {n, c, h, w}) + " with window " + win
                    + " (expected " + Shape.format(new int[] {rows, patch}) + ")");
        }
        Tensor image = Tensor.wrap(fold(cols.data(), n, c, h, w, win), n, c, h, w); // (N, C, H, W)
        // col2im is linear and its adjoint is im2col: d/dcols = im2col(gradient)
        return Autograd.customOp("col2im", image,
                g -> new Tensor[] {Tensor.wrap(unfold(g.data(), n, c, h, w, win), rows, patch)}, cols);
    }

    /** The im2col loops: row {@code (b, oy, ox)}, column {@code (ch, ky, kx)}; images run in parallel. */
    static float[] unfold(float[] x, int n, int c, int h, int w, Window2d win) {
        float[] cols = new float[n * win.outH(h) * win.outW(w) * c * win.kernelH() * win.kernelW()];
        images(n).forEach(b -> copyPatches(x, cols, b, c, h, w, win, false));
        return cols;
    }

    /** The col2im loops: the same walk, adding each column entry back to its pixel. */
    static float[] fold(float[] cols, int n, int c, int h, int w, Window2d win) {
        float[] x = new float[n * c * h * w];
        images(n).forEach(b -> copyPatches(x, cols, b, c, h, w, win, true));
        return x;
    }

    /**
     * Walks every patch of image {@code b}: {@code cols[row, (ch, ky, kx)] = x[b, ch, y, x]} for the
     * pixels inside the image (padding stays zero in cols and receives nothing in x), or, if
     * {@code back}, {@code x[b, ch, y, x] += cols[row, (ch, ky, kx)]}.
     */
    private static void copyPatches(float[] x, float[] cols, int b, int c, int h, int w, Window2d win, boolean back) {
        int kh = win.kernelH();
        int kw = win.kernelW();
        int dh = win.dilationH();
        int dw = win.dilationW();
        int outH = win.outH(h);
        int outW = win.outW(w);
        int patch = c * kh * kw;
        int row = b * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++, row++) {
                int y0 = oy * win.strideH() - win.padH();
                int x0 = ox * win.strideW() - win.padW();
                // the taps k that land inside the image: 0 <= x0 + k*d < w
                int kxFrom = Math.max(0, ceilDiv(-x0, dw));
                int kxTo = Math.min(kw, ceilDiv(w - x0, dw));
                int kyFrom = Math.max(0, ceilDiv(-y0, dh));
                int kyTo = Math.min(kh, ceilDiv(h - y0, dh));
                for (int ch = 0; ch < c; ch++) {
                    for (int ky = kyFrom; ky < kyTo; ky++) {
                        int pixel = ((b * c + ch) * h + y0 + ky * dh) * w + x0; // x[b, ch, y0 + ky*dh, x0]
                        int entry = row * patch + (ch * kh + ky) * kw;           // cols[row, (ch, ky, 0)]
                        for (int kx = kxFrom; kx < kxTo; kx++) {
                            if (back) {
                                x[pixel + kx * dw] += cols[entry + kx];
                            } else {
                                cols[entry + kx] = x[pixel + kx * dw];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }

    /** The image indices {@code 0..n-1}, in parallel (on the common pool) unless one thread is asked for. */
    private static IntStream images(int n) {
        IntStream all = IntStream.range(0, n);
        return Kernels.threads() > 1 ? all.parallel() : all;
    }
}
