package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

/**
 * Hyena's implicit long filters (Poli et al. 2023, "Hyena Hierarchy: Towards Larger Convolutional
 * Language Models", section 3.3, eq. 7 and Algorithm 1 "Projection"/"Hyena filter"). A filter as
 * long as the sequence would need {@code T} free weights per channel, and its size would grow with
 * the context. Instead the taps are the values of a small network at the positions:
 * <pre>
 *   h_t = Window(t) ⊙ FFN(PositionalEncoding(t)),      t = 0, 1, ..., T-1               (eq. 7)
 *   PositionalEncoding(t) = [t/L, cos(2 pi f t/L), sin(2 pi f t/L) for f = 1..K]    (truncated complex exponentials)
 *   FFN = Linear -> sin(ω ⊙ ·) -> Linear -> sin(ω ⊙ ·) -> Linear                    (sine activations, learned ω)
 *   Window(t) = exp(-α_c t/L),  α_c spread over the channels                       (exponential decay)
 * </pre>
 * L is {@code maxLength}, so a filter computed for a shorter sequence is the start of the longer
 * one and the layer is causal at every length. The parameter count does not depend on L: the
 * filter's length and its number of parameters are decoupled. The sines let the FFN make filters
 * of high frequency; the window sets how far back each channel looks by default, from a fast
 * decay (1% left after 0.3 L) to a slow one (1% after 1.5 L), as in the authors' code; the FFN can
 * still shape the filter within it.
 *
 * <p>{@link #forward} returns the filters of all {@code N} orders at once, {@code (T, N * D)}:
 * columns {@code n D .. (n+1) D - 1} are the filter h^(n+1) of {@link HyenaOperator}.
 */
public final class HyenaFilter extends Layer {
    public final int channels;
    public final int order;
    public final int maxLength;
    public final int bands;
    private final Linear first;
    private final Linear second;
    private final Linear out;
    private final Tensor omega1;
    private final Tensor omega2;
    private final Tensor decay;

    /**
     * @param channels D, the channels of the operator
     * @param order    N, how many filters (one per order)
     * @param bands    K, frequencies in the positional encoding (its width is 2K + 1)
     * @param hidden   the FFN's width
     * @param omega    the sines' starting frequency ω
     */
    public HyenaFilter(int channels, int order, int maxLength, int bands, int hidden, float omega, Rng rng) {
        if (channels < 1 || order < 1 || maxLength < 1 || bands < 1 || hidden < 1) {
            throw new IllegalArgumentException("HyenaFilter: channels, order, maxLength, bands and hidden must be positive, got "
                    + channels + ", " + order + ", " + maxLength + ", " + bands + ", " + hidden);
        }
        this.channels = channels;
        this.order = order;
        this.maxLength = maxLength;
        this.bands = bands;
        this.first = child("first", new Linear(2 * bands + 1, hidden, rng));
        this.second = child("second", new Linear(hidden, hidden, rng));
        this.out = child("out", new Linear(hidden, order * channels, rng));
        this.omega1 = parameter("omega1", Tensor.full(omega, hidden));
        this.omega2 = parameter("omega2", Tensor.full(omega, hidden));
        this.decay = buffer("decay", decayRates(order * channels));
    }

    /** α_c evenly from ln(100)/1.5 (slow) to ln(100)/0.3 (fast): the window falls to 1% at 1.5 L or 0.3 L. */
    private static Tensor decayRates(int n) {
        double slow = Math.log(100) / 1.5;
        double fast = Math.log(100) / 0.3;
        float[] a = new float[n];
        for (int c = 0; c < n; c++) {
            a[c] = (float) (n == 1 ? slow : slow + (fast - slow) * c / (n - 1));
        }
        return Tensor.of(a, n);
    }

    /** The taps at the given positions: a positional encoding {@code (T, 2K + 1)} to filters {@code (T, N * D)}. */
    @Override
    public Tensor forward(Tensor positions) {
        Tensor hidden = first.forward(positions).mul(omega1).sin();                    // (T, F)
        hidden = second.forward(hidden).mul(omega2).sin();                              // (T, F)
        return out.forward(hidden).mul(window(positions.size(0)));                      // (T, N D)
    }

    /** The filters for a sequence of {@code t <= maxLength} positions, {@code (T, N * D)}. */
    public Tensor filters(int t) {
        if (t < 1 || t > maxLength) {
            throw new IllegalArgumentException("HyenaFilter(maxLength=" + maxLength + "): cannot make filters for "
                    + t + " positions");
        }
        return forward(positionalEncoding(t));
    }

    /** {@code [t/L, cos(2 pi f t/L), sin(2 pi f t/L)]} for f = 1..K, one row per position: {@code (T, 2K + 1)}. */
    public Tensor positionalEncoding(int t) {
        int width = 2 * bands + 1;
        float[] z = new float[t * width];
        for (int i = 0; i < t; i++) {
            double time = (double) i / maxLength;
            z[i * width] = (float) time;
            for (int f = 1; f <= bands; f++) {
                z[i * width + 2 * f - 1] = (float) Math.cos(2 * Math.PI * f * time);
                z[i * width + 2 * f] = (float) Math.sin(2 * Math.PI * f * time);
            }
        }
        return Tensor.of(z, t, width);
    }

    /** {@code exp(-α_c t/L)}: {@code (T, N * D)}. */
    Tensor window(int t) {
        Tensor time = Tensor.arange(t).mul(1f / maxLength).reshape(t, 1);             // (T, 1)
        return time.mul(decay).neg().exp();                                            // (T, N D)
    }

    @Override
    protected String describe() {
        return "channels=" + channels + ", order=" + order + ", maxLength=" + maxLength + ", bands=" + bands;
    }
}
