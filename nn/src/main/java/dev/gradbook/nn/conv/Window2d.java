package dev.gradbook.nn.conv;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * The geometry of a window sliding over an image: kernel size, stride and zero padding, per
 * axis. Convolution, transposed convolution and pooling all share it.
 *
 * <p>Along one axis of length {@code H}, padded by {@code p} on both sides, a window of size
 * {@code k} placed every {@code s} positions fits
 * <pre>
 *   Hout = floor((H + 2p - k) / s) + 1
 * </pre>
 * times: the first window starts at {@code -p}, the last one must end by {@code H + p}. Output
 * position {@code o} reads input positions {@code o*s - p + i} for {@code i = 0 .. k-1}.
 * (Dumoulin and Visin, "A guide to convolution arithmetic for deep learning", 2016, relation 6.)
 *
 * <p>A dilated window (Yu and Koltun, "Multi-scale context aggregation by dilated convolutions",
 * 2016) reads every {@code d}-th position, {@code o*s - p + i*d}, and so spans {@code d(k-1) + 1}
 * positions: the formula above holds with that span in place of {@code k} (Dumoulin and Visin,
 * relation 15).
 *
 * @param kernelH window height {@code kh}
 * @param kernelW window width {@code kw}
 * @param strideH vertical step {@code sh}
 * @param strideW horizontal step {@code sw}
 * @param padH    zero rows added above and below {@code ph}
 * @param padW    zero columns added left and right {@code pw}
 * @param dilationH vertical distance between the rows the window reads {@code dh} (1: adjacent)
 * @param dilationW horizontal distance between the columns it reads {@code dw}
 */
public record Window2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                       int dilationH, int dilationW) {

    public Window2d {
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0
                || dilationH <= 0 || dilationW <= 0) {
            throw new IllegalArgumentException("Window2d: kernel, stride and dilation must be positive and padding "
                    + "non-negative, got " + describe(kernelH, kernelW, strideH, strideW, padH, padW)
                    + ", dilation=" + pair(dilationH, dilationW));
        }
    }

    /** An undilated window. */
    public Window2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        this(kernelH, kernelW, strideH, strideW, padH, padW, 1, 1);
    }

    /** The positions a row of the window spans, {@code dh (kh - 1) + 1}. */
    public int spanH() {
        return dilationH * (kernelH - 1) + 1;
    }

    /** The positions a column of the window spans, {@code dw (kw - 1) + 1}. */
    public int spanW() {
        return dilationW * (kernelW - 1) + 1;
    }

    /** The same kernel size, stride and padding on both axes. */
    public static Window2d square(int kernel, int stride, int padding) {
        return new Window2d(kernel, kernel, stride, stride, padding, padding);
    }

    /** {@code floor((size + 2 padding - kernel) / stride) + 1}, or 0 if the window does not fit once. */
    public static int outputSize(int size, int kernel, int stride, int padding) {
        int span = size + 2 * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }

    /** Output height for an input of height {@code h}. */
    public int outH(int h) {
        return outputSize(h, spanH(), strideH, padH);
    }

    /** Output width for an input of width {@code w}. */
    public int outW(int w) {
        return outputSize(w, spanW(), strideW, padW);
    }

    /** Whether this window fits at least once into an {@code h x w} image. */
    public boolean fits(int h, int w) {
        return outH(h) > 0 && outW(w) > 0;
    }

    /** Checks that {@code x} is an image batch {@code (N, C, H, W)} that this window fits, naming {@code layer}. */
    void checkInput(String layer, Tensor x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException(layer + ": expects input (N, C, H, W), got shape "
                    + Shape.format(x.shape()));
        }
        if (!fits(x.size(2), x.size(3))) {
            throw new IllegalArgumentException(layer + ": input of shape " + Shape.format(x.shape())
                    + " is smaller than the (padded) kernel");
        }
    }

    /** {@code "kernel=(3, 3), stride=(1, 1), padding=(1, 1)"}, with single numbers when both axes agree. */
    @Override
    public String toString() {
        return describe(kernelH, kernelW, strideH, strideW, padH, padW)
                + (dilationH == 1 && dilationW == 1 ? "" : ", dilation=" + pair(dilationH, dilationW));
    }

    private static String describe(int kh, int kw, int sh, int sw, int ph, int pw) {
        return "kernel=" + pair(kh, kw) + ", stride=" + pair(sh, sw) + ", padding=" + pair(ph, pw);
    }

    private static String pair(int a, int b) {
        return a == b ? Integer.toString(a) : "(" + a + ", " + b + ")";
    }
}
