package dev.gradbook.nn.conv;

/**
 * The settings of a pooling layer, read by name at the call site, with PyTorch's defaults:
 * <pre>{@code
 * new AvgPool2d(PoolOptions.kernel(3).withStride(2).withPadding(1).withCountIncludePad(false))
 * new MaxPool2d(PoolOptions.kernel(2).withCeilMode(true))
 * }</pre>
 *
 * @param kernel           square window size {@code k}
 * @param stride           step {@code s} (default: the kernel size, so windows tile the image)
 * @param padding          implicit border {@code p} on every side (at most {@code k / 2})
 * @param ceilMode         round the output size up, {@code ceil((H + 2p - k) / s) + 1}, so that a
 *                         last, partial window covers the leftover rows; a window that would start
 *                         in the right or bottom padding is dropped (PyTorch's {@code ceil_mode})
 * @param countIncludePad  average pooling only: divide by the window size counting padded
 *                         positions (PyTorch's default) or by the number of real pixels in it
 */
public record PoolOptions(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {

    public PoolOptions {
        if (kernel <= 0 || stride <= 0 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("PoolOptions: needs kernel > 0, stride > 0 and 0 <= padding <= kernel / 2, "
                    + "got kernel=" + kernel + ", stride=" + stride + ", padding=" + padding);
        }
    }

    /** A {@code k x k} window with stride {@code k}, no padding, floor mode, padding counted. */
    public static PoolOptions kernel(int k) {
        return new PoolOptions(k, k, 0, false, true);
    }

    public PoolOptions withStride(int s) {
        return new PoolOptions(kernel, s, padding, ceilMode, countIncludePad);
    }

    public PoolOptions withPadding(int p) {
        return new PoolOptions(kernel, stride, p, ceilMode, countIncludePad);
    }

    public PoolOptions withCeilMode(boolean ceil) {
        return new PoolOptions(kernel, stride, padding, ceil, countIncludePad);
    }

    public PoolOptions withCountIncludePad(boolean include) {
        return new PoolOptions(kernel, stride, padding, ceilMode, include);
    }

    /** The window geometry. */
    public Window2d window() {
        return Window2d.square(kernel, stride, padding);
    }

    /**
     * The output size along an axis of {@code size}: {@code floor} or {@code ceil} of
     * {@code (size + 2p - k) / s}, plus one; in ceil mode the last window must start inside the
     * image or its left/top padding, as PyTorch requires.
     */
    public static int outputSize(int size, int kernel, int stride, int padding, boolean ceil) {
        int span = size + 2 * padding - kernel;
        if (span < 0) {
            return 0;
        }
        int out = (ceil ? Math.floorDiv(span + stride - 1, stride) : span / stride) + 1;
        if (ceil && (out - 1) * stride >= size + padding) {
            out--;
        }
        return out;
    }
}
