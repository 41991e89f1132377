package dev.gradbook.core;

/**
 * The fast Fourier transform (Cooley and Tukey 1965) and the linear convolution it makes fast.
 *
 * <p>The discrete Fourier transform of {@code n} complex numbers is
 * <pre>
 *   X_k = sum_(j=0..n-1) x_j e^(-2 pi i j k / n),        inverse:  x_j = (1/n) sum_k X_k e^(+2 pi i j k / n)
 * </pre>
 * which costs {@code n^2} multiplications written as it stands. For {@code n} a power of two, the
 * sum splits into the even and the odd {@code j}: two transforms of size {@code n/2}, combined by
 * one "butterfly" per output, {@code X_k = E_k + w^k O_k}, {@code X_(k+n/2) = E_k - w^k O_k} with
 * {@code w = e^(-2 pi i / n)}. Splitting again and again leaves {@code log2 n} rounds of
 * {@code n/2} butterflies: {@code O(n log n)}. This is the iterative form: the inputs are first put
 * in bit-reversed order (where the recursion would leave them), then the rounds combine
 * blocks of size 2, 4, 8, ... in place.
 *
 * <p>The convolution theorem: the transform turns the convolution {@code (a * b)_t =
 * sum_s a_s b_(t-s)} into a product of spectra, {@code DFT(a * b) = DFT(a) DFT(b)}. The product of
 * spectra is a <em>circular</em> convolution of length n; padding a and b with zeros to
 * {@code n >= len(a) + len(b) - 1} makes nothing wrap around, so the first outputs are the linear
 * convolution ({@link #convolve}). Hyena's long convolutions are computed this way.
 *
 * <p>Everything here is in double precision (plain arrays, no autograd): the transform is a
 * building block for differentiable ops such as {@code transformer.mixers.LongConvolution}, which
 * read and write float tensors.
 */
public final class Fft {
    /** Twiddle tables by transform length (at most 31 of them: one per power of two). */
    private static final java.util.Map<Integer, double[][]> TWIDDLES = new java.util.concurrent.ConcurrentHashMap<>();

    private Fft() {
    }

    /** The smallest power of two {@code >= n} (n >= 1). */
    public static int nextPowerOfTwo(int n) {
        if (n < 1 || n > (1 << 30)) {
            throw new IllegalArgumentException("Fft.nextPowerOfTwo: n must be in 1..2^30, got " + n);
        }
        return n == 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** Replaces {@code (re, im)} by its discrete Fourier transform {@code X_k}; the length must be a power of two. */
    public static void forward(double[] re, double[] im) {
        transform(re, im, -1);
    }

    /** Replaces the spectrum {@code (re, im)} by the sequence it came from (the 1/n included). */
    public static void inverse(double[] re, double[] im) {
        transform(re, im, +1);
        double scale = 1.0 / re.length;
        for (int j = 0; j < re.length; j++) {
            re[j] *= scale;
            im[j] *= scale;
        }
    }

    /**
     * The linear convolution {@code c_t = sum_s a_s b_(t-s)} of two real sequences, all
     * {@code len(a) + len(b) - 1} outputs, computed through spectra of length
     * {@link #nextPowerOfTwo}{@code (len(a) + len(b) - 1)}.
     */
    public static double[] convolve(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("Fft.convolve: empty sequence (lengths " + a.length + " and " + b.length + ")");
        }
        int out = a.length + b.length - 1;
        int n = nextPowerOfTwo(out);
        double[] ar = java.util.Arrays.copyOf(a, n);
        double[] ai = new double[n];
        double[] br = java.util.Arrays.copyOf(b, n);
        double[] bi = new double[n];
        forward(ar, ai);
        forward(br, bi);
        multiply(ar, ai, br, bi, false);
        inverse(ar, ai);
        return java.util.Arrays.copyOf(ar, out);
    }

    /**
     * {@code a <- a * b} (complex, element by element), or {@code a <- a * conj(b)} when
     * {@code conjugate}: the spectrum of a convolution, or of a correlation
     * {@code sum_t a_(t+s) b_t}, which is what the gradients of a convolution need.
     */
    public static void multiply(double[] aRe, double[] aIm, double[] bRe, double[] bIm, boolean conjugate) {
        double sign = conjugate ? -1 : 1;
        for (int k = 0; k < aRe.length; k++) {
            double r = aRe[k] * bRe[k] - aIm[k] * sign * bIm[k];
            double i = aRe[k] * sign * bIm[k] + aIm[k] * bRe[k];
            aRe[k] = r;
            aIm[k] = i;
        }
    }

    /** The in-place radix-2 transform with twiddles {@code e^(sign 2 pi i k / n)}. */
    private static void transform(double[] re, double[] im, int sign) {
        int n = re.length;
        if (im.length != n || n == 0 || (n & (n - 1)) != 0) {
            throw new IllegalArgumentException("Fft: real and imaginary parts must have the same power-of-two length, got "
                    + re.length + " and " + im.length);
        }
        bitReverse(re, im);
        double[][] twiddles = twiddles(n);
        double[] cos = twiddles[0];
        double[] sin = twiddles[1];
        for (int size = 2; size <= n; size <<= 1) {
            int half = size / 2;
            int stride = n / size;
            for (int start = 0; start < n; start += size) {
                for (int k = 0; k < half; k++) {
                    int even = start + k;
                    int odd = even + half;
                    double wr = cos[k * stride];
                    double wi = sign * sin[k * stride];
                    // w^k O_k, then the butterfly: E_k + w^k O_k and E_k - w^k O_k
                    double tr = wr * re[odd] - wi * im[odd];
                    double ti = wr * im[odd] + wi * re[odd];
                    re[odd] = re[even] - tr;
                    im[odd] = im[even] - ti;
                    re[even] += tr;
                    im[even] += ti;
                }
            }
        }
    }

    /**
     * {@code cos} and {@code sin} of {@code 2 pi k / n} for k below n/2: the twiddles of the last
     * round, {@code w^k = cos + sign i sin}; a round of size m uses every (n/m)-th. Computed once per
     * n and kept: the trigonometry would otherwise cost more than the butterflies for short transforms.
     */
    private static double[][] twiddles(int n) {
        return TWIDDLES.computeIfAbsent(n, size -> {
            double[] cos = new double[size / 2];
            double[] sin = new double[size / 2];
            for (int k = 0; k < size / 2; k++) {
                cos[k] = Math.cos(2 * Math.PI * k / size);
                sin[k] = Math.sin(2 * Math.PI * k / size);
            }
            return new double[][] {cos, sin};
        });
    }

    /** Swaps each element with the one at its bit-reversed index (for n = 8: 1 = 001 <-> 100 = 4). */
    private static void bitReverse(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j |= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
    }
}
