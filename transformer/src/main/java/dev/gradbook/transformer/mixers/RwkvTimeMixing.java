package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

import java.util.ArrayList;
import java.util.List;

/**
 * RWKV time mixing (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era", section
 * 3.1), the part of an RWKV block that moves information between positions. With token shift
 * ({@link TokenShift}) feeding the receptance r, key k and value v (eq. 11-13),
 * <pre>
 *   wkv_t = ( sum_(i&lt;t) e^(-(t-1-i) w + k_i) ⊙ v_i + e^(u + k_t) ⊙ v_t )
 *         / ( sum_(i&lt;t) e^(-(t-1-i) w + k_i)       + e^(u + k_t) )                 (eq. 14)
 *   o_t   = W_o (σ(r_t) ⊙ wkv_t)                                                     (eq. 15)
 * </pre>
 * an average of past values weighted by their keys and an exponential decay per channel
 * ({@code w > 0}, kept positive as {@code w = e^wLog}), with a bonus u for the current token. The
 * sums only ever decay and add, so they can be carried as two vectors (section 3.3, RNN mode):
 * <pre>
 *   wkv_t = (a_(t-1) + e^(u + k_t) ⊙ v_t) / (b_(t-1) + e^(u + k_t))
 *   a_t   = e^(-w) ⊙ a_(t-1) + e^(k_t) ⊙ v_t,      b_t = e^(-w) ⊙ b_(t-1) + e^(k_t)
 * </pre>
 * {@link #forward} evaluates eq. 14 for all positions at once (a {@code T x T} weight per
 * channel); {@link #step} is the recurrence, whose state ({@code a}, {@code b} and the previous
 * input) is {@code 3C} floats however long the sequence. They agree (tested). The paper's
 * running-maximum trick against overflow of {@code e^k} is left out: keys stay small here.
 * Shape legend: B batch, T positions, C channels.
 */
public final class RwkvTimeMixing extends Layer {
    public final int nEmbd;
    private final Tensor muR;
    private final Tensor muK;
    private final Tensor muV;
    private final Tensor wLog;
    private final Tensor u;
    private final Linear wR;
    private final Linear wK;
    private final Linear wV;
    private final Linear wO;

    public RwkvTimeMixing(int nEmbd, Rng rng) {
        this.nEmbd = nEmbd;
        this.muR = parameter("muR", Tensor.uniform(rng, 0.3f, 0.7f, nEmbd));
        this.muK = parameter("muK", Tensor.uniform(rng, 0.3f, 0.7f, nEmbd));
        this.muV = parameter("muV", Tensor.uniform(rng, 0.3f, 0.7f, nEmbd));
        // decays from fast (w = e^1) to slow (w = e^-4) across channels, so some channels remember long
        this.wLog = parameter("wLog", Tensor.linspace(1f, -4f, nEmbd));
        this.u = parameter("u", Tensor.full(0.5f, nEmbd));
        this.wR = child("wR", new Linear(nEmbd, nEmbd, false, rng));
        this.wK = child("wK", new Linear(nEmbd, nEmbd, false, rng));
        this.wV = child("wV", new Linear(nEmbd, nEmbd, false, rng));
        this.wO = child("wO", new Linear(nEmbd, nEmbd, false, rng));
    }

    /** Eq. 11-15 for every position at once: {@code (B, T, C) -> (B, T, C)}. */
    @Override
    public Tensor forward(Tensor x) {
        check(x);
        int t = x.size(1);
        Tensor prev = TokenShift.previous(x);                                         // (B, T, C)
        Tensor r = wR.forward(TokenShift.mix(muR, x, prev));                           // (B, T, C)
        Tensor k = wK.forward(TokenShift.mix(muK, x, prev));                           // (B, T, C)
        Tensor v = wV.forward(TokenShift.mix(muV, x, prev));                           // (B, T, C)
        Tensor weights = decayWeights(t);                                             // (C, T, T)
        Tensor ek = k.exp().permute(2, 1, 0);                                         // (C, T, B)
        Tensor ekv = k.exp().mul(v).permute(2, 1, 0);                                 // (C, T, B)
        Tensor num = weights.matmul(ekv).permute(2, 1, 0);                             // (B, T, C)
        Tensor den = weights.matmul(ek).permute(2, 1, 0);                              // (B, T, C)
        return wO.forward(r.sigmoid().mul(num.div(den)));                              // (B, T, C)
    }

    /** Eq. 14's weights apart from e^(k_i): {@code e^(-(t-1-i) w)} below the diagonal, {@code e^u} on it. */
    Tensor decayWeights(int t) {
        Tensor w = wLog.exp().reshape(nEmbd, 1, 1);                                   // (C, 1, 1)
        float[] distance = new float[t * t];                                          // t - 1 - i below the diagonal
        float[] below = new float[t * t];
        float[] diagonal = new float[t * t];
        for (int row = 0; row < t; row++) {
            for (int i = 0; i < row; i++) {
                distance[row * t + i] = row - 1 - i;
                below[row * t + i] = 1;
            }
            diagonal[row * t + row] = 1;
        }
        Tensor decay = w.mul(Tensor.of(distance, t, t)).neg().exp().mul(Tensor.of(below, t, t)); // (C, T, T)
        Tensor bonus = u.exp().reshape(nEmbd, 1, 1).mul(Tensor.of(diagonal, t, t));              // (C, T, T)
        return decay.add(bonus);
    }

    /** The RNN-mode state: {@code a}, {@code b} (B, C) and the previous input (B, 1, C). */
    public static final class State {
        Tensor a;
        Tensor b;
        Tensor previous;

        /** How many floats the state holds: the same after 1 token or 10,000. */
        public int floats() {
            return a.numel() + b.numel() + previous.numel();
        }
    }

    public State initialState(int batch) {
        State s = new State();
        s.a = Tensor.zeros(batch, 1, nEmbd);
        s.b = Tensor.zeros(batch, 1, nEmbd);
        s.previous = Tensor.zeros(batch, 1, nEmbd);
        return s;
    }

    /** One token in RNN mode, {@code (B, 1, C) -> (B, 1, C)}; updates the state. */
    public Tensor step(Tensor xt, State s) {
        check(xt);
        Tensor r = wR.forward(TokenShift.mix(muR, xt, s.previous));                    // (B, 1, C)
        Tensor k = wK.forward(TokenShift.mix(muK, xt, s.previous));
        Tensor v = wV.forward(TokenShift.mix(muV, xt, s.previous));
        Tensor now = u.add(k).exp();                                                   // e^(u + k_t)
        Tensor wkv = s.a.add(now.mul(v)).div(s.b.add(now));
        Tensor decay = wLog.exp().neg().exp();                                         // e^(-w)
        s.a = s.a.mul(decay).add(k.exp().mul(v));
        s.b = s.b.mul(decay).add(k.exp());
        s.previous = xt;
        return wO.forward(r.sigmoid().mul(wkv));
    }

    /** {@link #step} over a whole sequence: the same numbers as {@link #forward}. */
    public Tensor forwardRecurrent(Tensor x) {
        State s = initialState(x.size(0));
        List<Tensor> out = new ArrayList<>();
        for (int t = 0; t < x.size(1); t++) {
            out.add(step(x.narrow(1, t, 1), s));
        }
        return Tensor.cat(out, 1);
    }

    private void check(Tensor x) {
        if (x.dim() != 3 || x.size(2) != nEmbd) {
            throw new IllegalArgumentException("RwkvTimeMixing(nEmbd=" + nEmbd + "): expects (B, T, " + nEmbd + "), got "
                    + Shape.format(x.shape()));
        }
    }

    @Override
    protected String describe() {
        return "nEmbd=" + nEmbd;
    }
}
