package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

/**
 * RWKV channel mixing (Peng et al. 2023, section 3.1, eq. 17-19), the block's feed-forward part,
 * also fed by token shift:
 * <pre>
 *   r'_t = W'_r (μ'_r ⊙ x_t + (1 - μ'_r) ⊙ x_(t-1)),   k'_t = W'_k (μ'_k ⊙ x_t + (1 - μ'_k) ⊙ x_(t-1))
 *   o'_t = σ(r'_t) ⊙ (W'_v max(k'_t, 0)²)
 * </pre>
 * a squared-ReLU MLP of hidden width {@code hidden}, gated by the receptance.
 */
public final class RwkvChannelMixing extends Layer {
    public final int nEmbd;
    private final Tensor muR;
    private final Tensor muK;
    private final Linear wR;
    private final Linear wK;
    private final Linear wV;

    public RwkvChannelMixing(int nEmbd, int hidden, Rng rng) {
        this.nEmbd = nEmbd;
        this.muR = parameter("muR", Tensor.uniform(rng, 0.3f, 0.7f, nEmbd));
        this.muK = parameter("muK", Tensor.uniform(rng, 0.3f, 0.7f, nEmbd));
        this.wR = child("wR", new Linear(nEmbd, nEmbd, false, rng));
        this.wK = child("wK", new Linear(nEmbd, hidden, false, rng));
        this.wV = child("wV", new Linear(hidden, nEmbd, false, rng));
    }

    /** {@code (B, T, C) -> (B, T, C)}. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3 || x.size(2) != nEmbd) {
            throw new IllegalArgumentException("RwkvChannelMixing(nEmbd=" + nEmbd + "): expects (B, T, " + nEmbd
                    + "), got " + Shape.format(x.shape()));
        }
        Tensor prev = TokenShift.previous(x);                                          // (B, T, C)
        Tensor r = wR.forward(TokenShift.mix(muR, x, prev));                            // (B, T, C)
        Tensor k = wK.forward(TokenShift.mix(muK, x, prev)).relu().square();            // (B, T, hidden)
        return r.sigmoid().mul(wV.forward(k));                                          // (B, T, C)
    }

    @Override
    protected String describe() {
        return "nEmbd=" + nEmbd;
    }
}
