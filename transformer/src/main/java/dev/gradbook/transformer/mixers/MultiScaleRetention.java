package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Layer;
import dev.gradbook.transformer.attention.Heads;
import dev.gradbook.transformer.position.RotaryEmbedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-scale retention, the sequence mixer of RetNet (Sun et al. 2023, "Retentive Network: A
 * Successor to Transformer for Large Language Models", section 2). Retention is attention without
 * the softmax and with an exponential decay: one computation that can be run two ways.
 * <pre>
 *   Q = (X W_Q) ⊙ Θ,  K = (X W_K) ⊙ Θ̄,  V = X W_V,   Θ_n = e^(i n θ)          (eq. 5)
 *   parallel:   Retention(X) = (Q Kᵀ ⊙ D) V,   D_nm = γ^(n-m) if n >= m, else 0   (eq. 5)
 *   recurrent:  S_n = γ S_(n-1) + K_nᵀ V_n,    Retention(X_n) = Q_n S_n          (eq. 6)
 * </pre>
 * The parallel form trains like attention (one batched product over all positions); the
 * recurrent form generates one token at a time with a state {@code S} of {@code hs x hs} per head,
 * whatever the length so far: no growing KV cache. Both give the same numbers (tested).
 *
 * <p>Each head h has its own decay {@code γ_h = 1 - 2^(-5 - h)} (multi-scale, eq. 8), so some
 * heads remember long and others short; the heads are normalised separately (GroupNorm, here a
 * layer norm over each head without affine parameters) and gated by a swish:
 * {@code MSR(X) = (swish(X W_G) ⊙ GroupNorm(heads)) W_O} (eq. 8). The rotation Θ is the complex
 * form of rotary embeddings ({@link RotaryEmbedding}: {@code Θ_n q · Θ̄_m k} depends on n - m).
 * Keys are scaled by {@code 1/sqrt(hs)} (section 2.2); the paper's other two normalisations only
 * rescale a head, which the GroupNorm undoes, so they are left out.
 * Shape legend: B batch, T positions, C channels, nh heads, hs head size.
 */
public final class MultiScaleRetention extends Layer {
    public final int nEmbd;
    public final int nHead;
    private final int headSize;
    private final float[] gamma;
    private final Linear wQ;
    private final Linear wK;
    private final Linear wV;
    private final Linear wG;
    private final Linear wO;
    private final RotaryEmbedding theta;
    private final LayerNorm groupNorm;

    public MultiScaleRetention(int nEmbd, int nHead, int maxLen, Rng rng) {
        if (nHead < 1 || nEmbd % nHead != 0 || (nEmbd / nHead) % 2 != 0) {
            throw new IllegalArgumentException("MultiScaleRetention: nEmbd=" + nEmbd + " must split into " + nHead
                    + " heads of an even size");
        }
        this.nEmbd = nEmbd;
        this.nHead = nHead;
        this.headSize = nEmbd / nHead;
        this.gamma = new float[nHead];
        for (int h = 0; h < nHead; h++) {
            gamma[h] = (float) (1 - Math.pow(2, -5 - h));
        }
        this.wQ = child("wQ", new Linear(nEmbd, nEmbd, false, rng));
        this.wK = child("wK", new Linear(nEmbd, nEmbd, false, rng));
        this.wV = child("wV", new Linear(nEmbd, nEmbd, false, rng));
        this.wG = child("wG", new Linear(nEmbd, nEmbd, false, rng));
        this.wO = child("wO", new Linear(nEmbd, nEmbd, false, rng));
        this.theta = child("theta", new RotaryEmbedding(headSize, maxLen));
        this.groupNorm = child("groupNorm", new LayerNorm(headSize, 1e-5f, false));
    }

    /** The decay of head h, {@code γ_h = 1 - 2^(-5-h)}. */
    public float gamma(int h) {
        return gamma[h];
    }

    /** The parallel form over a whole sequence, {@code (B, T, C) -> (B, T, C)}. */
    @Override
    public Tensor forward(Tensor x) {
        check(x);
        int t = x.size(1);
        Tensor q = theta.forward(Heads.split(wQ.forward(x), nHead), 0);                         // (B, nh, T, hs)
        Tensor k = theta.forward(Heads.split(wK.forward(x), nHead), 0).mul(scale());           // (B, nh, T, hs)
        Tensor v = Heads.split(wV.forward(x), nHead);                                           // (B, nh, T, hs)
        Tensor retained = q.matmulT(k).mul(decayMask(t)).matmul(v);                             // (B, nh, T, hs)
        return output(x, retained);
    }

    /** The recurrent form, one position at a time: the same result as {@link #forward}. */
    public Tensor forwardRecurrent(Tensor x) {
        check(x);
        State state = initialState(x.size(0));
        List<Tensor> outs = new ArrayList<>();
        for (int n = 0; n < x.size(1); n++) {
            outs.add(step(x.narrow(1, n, 1), state));                                           // (B, 1, C)
        }
        return Tensor.cat(outs, 1);                                                             // (B, T, C)
    }

    /** The recurrent state of eq. 6, {@code S (B, nh, hs, hs)}, and the position reached. */
    public static final class State {
        Tensor s;
        int position;

        State(Tensor s) {
            this.s = s;
        }

        /** How many floats the state holds: the same after 1 token or 10,000. */
        public int floats() {
            return s.numel();
        }
    }

    public State initialState(int batch) {
        return new State(Tensor.zeros(batch, nHead, headSize, headSize));
    }

    /** One step of eq. 6 for {@code x_n (B, 1, C)}; updates the state and returns {@code (B, 1, C)}. */
    public Tensor step(Tensor xn, State state) {
        check(xn);
        int n = state.position++;
        Tensor q = theta.forward(Heads.split(wQ.forward(xn), nHead), n);                        // (B, nh, 1, hs)
        Tensor k = theta.forward(Heads.split(wK.forward(xn), nHead), n).mul(scale());          // (B, nh, 1, hs)
        Tensor v = Heads.split(wV.forward(xn), nHead);                                          // (B, nh, 1, hs)
        Tensor decay = Tensor.of(gamma.clone(), nHead, 1, 1);                                   // (nh, 1, 1)
        state.s = state.s.mul(decay).add(k.transpose(2, 3).matmul(v));                          // (B, nh, hs, hs)
        return output(xn, q.matmul(state.s));                                                   // (B, 1, C)
    }

    /** GroupNorm over each head, the swish gate and the output projection (eq. 8). */
    private Tensor output(Tensor x, Tensor retained) {
        Tensor y = Heads.merge(groupNorm.forward(retained));                                    // (B, T, C)
        return wO.forward(wG.forward(x).silu().mul(y));                                         // (B, T, C)
    }

    /** {@code D (nh, T, T)}: {@code γ_h^(n-m)} on and below the diagonal, 0 above. */
    Tensor decayMask(int t) {
        float[] d = new float[nHead * t * t];
        for (int h = 0; h < nHead; h++) {
            for (int n = 0; n < t; n++) {
                for (int m = 0; m <= n; m++) {
                    d[(h * t + n) * t + m] = (float) Math.pow(gamma[h], n - m);
                }
            }
        }
        return Tensor.of(d, nHead, t, t);
    }

    private float scale() {
        return (float) (1 / Math.sqrt(headSize));
    }

    private void check(Tensor x) {
        if (x.dim() != 3 || x.size(2) != nEmbd) {
            throw new IllegalArgumentException("MultiScaleRetention(nEmbd=" + nEmbd + "): expects (B, T, " + nEmbd
                    + "), got " + Shape.format(x.shape()));
        }
    }

    @Override
    protected String describe() {
        return "nEmbd=" + nEmbd + ", nHead=" + nHead;
    }
}
