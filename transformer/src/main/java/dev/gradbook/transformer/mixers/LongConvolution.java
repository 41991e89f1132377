package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Fft;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.List;

/**
 * The causal depthwise convolution of Hyena and H3: every channel d has its own filter h of
 * {@code K} taps, and
 * <pre>
 *   y_t = sum_(k=0..min(t, K-1)) h_k ⊙ u_(t-k)                 u, y (B, T, D),  h (K, D)
 * </pre>
 * Output t sees inputs {@code t, t-1, ..., t-K+1} only: causal. Two ways to compute it, tested equal
 * in values and gradients:
 * <ul>
 *   <li>{@link #direct}: the sum as it stands, one shifted copy of u per tap, composed from tensor
 *       ops so that autograd derives the gradient. {@code O(T K D)} per sequence: for a long filter
 *       ({@code K = T}) that is {@code O(T^2)}, attention's cost. Kept for reading, and for short
 *       filters (Hyena's {@code K = 3} "short filter" on its projections).</li>
 *   <li>{@link #fft}: the convolution theorem (Poli et al. 2023, section 3.2, "fast evaluation"):
 *       zero-pad u and h to {@code N >= T + K - 1}, multiply their spectra, transform back, keep
 *       the first T outputs ({@link Fft}). {@code O(N log N)} per channel and sequence. Its
 *       backward is two more convolutions computed the same way:
 *       <pre>
 *         dL/du_s = sum_t g_t h_(t-s)                (a correlation of g with h)
 *         dL/dh_k = sum_b sum_t g_t u_(t-k)          (a correlation of g with u)
 *       </pre>
 *       a correlation is a product with the conjugate spectrum, {@code G conj(H)}.</li>
 * </ul>
 * Shape legend: B batch, T positions, D channels, K taps, N the padded transform length.
 */
public final class LongConvolution {
    private LongConvolution() {
    }

    /** {@code y = h * u} by the sum over taps, from tensor ops; see the class comment. */
    public static Tensor direct(Tensor u, Tensor h) {
        check("direct", u, h);
        int batch = u.size(0);
        int t = u.size(1);
        int d = u.size(2);
        Tensor y = u.mul(h.select(0, 0));                                                       // (B, T, D)
        for (int k = 1; k < Math.min(h.size(0), t); k++) {
            // u shifted k positions later: zeros for t < k, then u_(t-k)
            Tensor shifted = Tensor.cat(List.of(Tensor.zeros(batch, k, d), u.narrow(1, 0, t - k)), 1); // (B, T, D)
            y = y.add(shifted.mul(h.select(0, k)));                                             // (B, T, D)
        }
        return y;
    }

    /** {@code y = h * u} through the Fourier transform; differentiable in u and h. */
    public static Tensor fft(Tensor u, Tensor h) {
        check("fft", u, h);
        Layout at = new Layout(u, h);
        float[] y = new float[u.numel()];
        for (int c = 0; c < at.d; c++) {
            double[][] hHat = at.filterSpectrum(h.data(), c);
            for (int b = 0; b < at.batch; b++) {
                double[][] yHat = at.sequenceSpectrum(u.data(), b, c);
                Fft.multiply(yHat[0], yHat[1], hHat[0], hHat[1], false);                       // Y = U H
                at.writeSequence(yHat, y, b, c);
            }
        }
        Tensor out = Tensor.wrap(y, u.shape());
        return Autograd.customOp("longConvolutionFft", out, g -> backward(g, u, h), u, h);
    }

    /** The two correlations of the class comment, each through spectra. */
    private static Tensor[] backward(Tensor g, Tensor u, Tensor h) {
        Layout at = new Layout(u, h);
        float[] gradU = new float[u.numel()];
        float[] gradH = new float[h.numel()];
        for (int c = 0; c < at.d; c++) {
            double[][] hHat = at.filterSpectrum(h.data(), c);
            double[][] hGrad = {new double[at.n], new double[at.n]};                            // sum over b of G conj(U)
            for (int b = 0; b < at.batch; b++) {
                double[][] gHat = at.sequenceSpectrum(g.data(), b, c);
                double[][] uHat = at.sequenceSpectrum(u.data(), b, c);
                double[][] gh = {gHat[0].clone(), gHat[1].clone()};
                Fft.multiply(gh[0], gh[1], hHat[0], hHat[1], true);                             // G conj(H)
                at.writeSequence(gh, gradU, b, c);
                Fft.multiply(gHat[0], gHat[1], uHat[0], uHat[1], true);                         // G conj(U)
                for (int i = 0; i < at.n; i++) {
                    hGrad[0][i] += gHat[0][i];
                    hGrad[1][i] += gHat[1][i];
                }
            }
            at.writeFilter(hGrad, gradH, c);
        }
        return new Tensor[] {Tensor.wrap(gradU, u.shape()), Tensor.wrap(gradH, h.shape())};
    }

    /**
     * Where channel c of sequence b sits in the flat arrays, and the padded length
     * {@code N = nextPowerOfTwo(T + K - 1)}: long enough that the circular convolution of the
     * spectra never wraps a tap around onto an output we keep (for the correlations too: a
     * negative lag lands at index {@code N - T + 1 >= K} or {@code N - K + 1 >= T}, in the zero padding).
     */
    private static final class Layout {
        final int batch;
        final int t;
        final int d;
        final int k;
        final int n;

        Layout(Tensor u, Tensor h) {
            this.batch = u.size(0);
            this.t = u.size(1);
            this.d = u.size(2);
            this.k = h.size(0);
            this.n = Fft.nextPowerOfTwo(t + k - 1);
        }

        /** The spectrum of {@code x[b, :, c]} for x of shape (B, T, D), zero-padded to N. */
        double[][] sequenceSpectrum(float[] x, int b, int c) {
            return spectrum(x, b * t, t, c);
        }

        /** The spectrum of {@code h[:, c]}, zero-padded to N. */
        double[][] filterSpectrum(float[] h, int c) {
            return spectrum(h, 0, k, c);
        }

        private double[][] spectrum(float[] x, int firstRow, int rows, int c) {
            double[] re = new double[n];
            double[] im = new double[n];
            for (int i = 0; i < rows; i++) {
                re[i] = x[(firstRow + i) * d + c];
            }
            Fft.forward(re, im);
            return new double[][] {re, im};
        }

        /** Transforms {@code hat} back and writes its first T values to {@code out[b, :, c]}. */
        void writeSequence(double[][] hat, float[] out, int b, int c) {
            Fft.inverse(hat[0], hat[1]);
            for (int i = 0; i < t; i++) {
                out[(b * t + i) * d + c] = (float) hat[0][i];
            }
        }

        /** Transforms {@code hat} back and writes its first K values to {@code out[:, c]}. */
        void writeFilter(double[][] hat, float[] out, int c) {
            Fft.inverse(hat[0], hat[1]);
            for (int i = 0; i < k; i++) {
                out[i * d + c] = (float) hat[0][i];
            }
        }
    }

    private static void check(String form, Tensor u, Tensor h) {
        if (u.dim() != 3 || h.dim() != 2 || h.size(1) != u.size(2) || h.size(0) < 1 || h.size(0) > u.size(1)) {
            throw new IllegalArgumentException("LongConvolution." + form + ": expects u (B, T, D) and h (K, D) with "
                    + "1 <= K <= T, got u " + Shape.format(u.shape()) + " and h " + Shape.format(h.shape()));
        }
    }
}
