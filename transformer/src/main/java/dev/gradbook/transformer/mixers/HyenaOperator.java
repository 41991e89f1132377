package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

import java.util.function.BinaryOperator;

/**
 * The Hyena operator (Poli et al. 2023, "Hyena Hierarchy: Towards Larger Convolutional Language
 * Models", section 3, Definition 3.1 and Algorithm 3), a drop-in replacement for attention built
 * from two cheap things interleaved: long causal convolutions and element-wise gates.
 * <pre>
 *   (x^1, ..., x^N, v) = short_conv(u W_in)          N + 1 projections of D channels, each through a
 *                                                    causal depthwise conv of 3 taps (Algorithm 1)
 *   z^1     = v
 *   z^(n+1) = x^n ⊙ (h^n * z^n + β^n ⊙ z^n)          n = 1..N  (eq. 5: gate, then long convolution)
 *   y       = z^(N+1) W_out
 * </pre>
 * {@code *} is the causal convolution over the sequence ({@link LongConvolution}), with filters
 * {@code h^n} as long as the input, made by {@link HyenaFilter} (implicit: an FFN of the position,
 * times a decaying window). {@code β^n} is a learned per-channel skip, the bias of the authors'
 * FFT convolution ({@code y = h * u + β u}). With {@code N = 2} the operator is H3's structure with
 * long filters in both places.
 *
 * <p>Why it can stand in for attention (section 3.1): written as matrices, the whole operator is
 * {@code y = D_x^N S_h^N ... D_x^1 S_h^1 v}, with {@code D_x} diagonal (the gates) and {@code S_h}
 * lower-triangular Toeplitz (the convolutions). The product is a T x T matrix that depends on the
 * input through the gates, "data-controlled" like attention's softmax(QKᵀ), but it is never formed:
 * each convolution costs {@code O(T log T)} by FFT instead of attention's {@code O(T^2)}.
 *
 * <p>{@link #forward} computes the convolutions by FFT; {@link #forwardDirect} by the sum over taps,
 * {@code O(T^2)}. They are the same function (tested).
 * Shape legend: B batch, T positions, D channels ({@code nEmbd}), N order.
 */
public final class HyenaOperator extends Layer {
    /** The taps of the short depthwise convolution on the projections (Algorithm 1). */
    public static final int SHORT_KERNEL = 3;
    /** Frequencies in the filter's positional encoding. */
    public static final int FILTER_BANDS = 8;
    /** Width of the filter's FFN. */
    public static final int FILTER_HIDDEN = 32;
    /** The starting frequency ω of the filter's sines. */
    public static final float FILTER_OMEGA = 1f;

    public final int nEmbd;
    public final int order;
    private final Linear inProj;
    private final Tensor shortFilter;
    private final Tensor shortBias;
    private final HyenaFilter filter;
    private final Tensor skip;
    private final Linear outProj;

    /** With the filter's default size ({@link #FILTER_BANDS}, {@link #FILTER_HIDDEN}, {@link #FILTER_OMEGA}). */
    public HyenaOperator(int nEmbd, int order, int maxLength, Rng rng) {
        this(nEmbd, order, new HyenaFilter(nEmbd, order, maxLength, FILTER_BANDS, FILTER_HIDDEN, FILTER_OMEGA, rng), rng);
    }

    /** With a filter made for {@code nEmbd} channels and {@code order} orders. */
    public HyenaOperator(int nEmbd, int order, HyenaFilter filter, Rng rng) {
        if (nEmbd < 1 || order < 1 || filter.channels != nEmbd || filter.order != order) {
            throw new IllegalArgumentException("HyenaOperator: nEmbd " + nEmbd + " and order " + order
                    + " must be positive and match the filter's channels " + filter.channels + " and order " + filter.order);
        }
        this.nEmbd = nEmbd;
        this.order = order;
        int projected = (order + 1) * nEmbd;
        this.inProj = child("inProj", new Linear(nEmbd, projected, rng));
        float bound = (float) (1 / Math.sqrt(SHORT_KERNEL));
        this.shortFilter = parameter("shortFilter", Tensor.uniform(rng, -bound, bound, SHORT_KERNEL, projected));
        this.shortBias = parameter("shortBias", Tensor.zeros(projected));
        this.filter = child("filter", filter);
        this.skip = parameter("skip", Tensor.randn(rng, order, nEmbd));
        this.outProj = child("outProj", new Linear(nEmbd, nEmbd, rng));
    }

    /** {@code (B, T, D) -> (B, T, D)}, long convolutions by FFT. */
    @Override
    public Tensor forward(Tensor u) {
        return forward(u, LongConvolution::fft);
    }

    /** The same, long convolutions by the direct sum over taps: {@code O(T^2)}. */
    public Tensor forwardDirect(Tensor u) {
        return forward(u, LongConvolution::direct);
    }

    private Tensor forward(Tensor u, BinaryOperator<Tensor> convolution) {
        check(u);
        int t = u.size(1);
        Tensor projections = LongConvolution.direct(inProj.forward(u), shortFilter).add(shortBias); // (B, T, (N+1) D)
        Tensor h = filter.filters(t);                                                             // (T, N D)
        Tensor z = projections.narrow(2, order * nEmbd, nEmbd);                                   // v: (B, T, D)
        for (int n = 0; n < order; n++) {
            Tensor gate = projections.narrow(2, n * nEmbd, nEmbd);                                // x^n: (B, T, D)
            Tensor hn = h.narrow(1, n * nEmbd, nEmbd);                                            // (T, D)
            z = gate.mul(convolution.apply(z, hn).add(z.mul(skip.select(0, n))));                 // (B, T, D)
        }
        return outProj.forward(z);                                                                // (B, T, D)
    }

    /** The long filters this operator uses for {@code t} positions, {@code (T, N * D)} (for pictures). */
    public Tensor filters(int t) {
        return filter.filters(t);
    }

    private void check(Tensor u) {
        if (u.dim() != 3 || u.size(2) != nEmbd || u.size(1) > filter.maxLength) {
            throw new IllegalArgumentException("HyenaOperator(nEmbd=" + nEmbd + ", maxLength=" + filter.maxLength
                    + "): expects (B, T <= " + filter.maxLength + ", " + nEmbd + "), got " + Shape.format(u.shape()));
        }
    }

    @Override
    protected String describe() {
        return "nEmbd=" + nEmbd + ", order=" + order + ", " + filter.describe();
    }
}
