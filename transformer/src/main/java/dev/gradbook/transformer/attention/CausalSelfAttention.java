package dev.gradbook.transformer.attention;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Linear;
import dev.gradbook.transformer.position.RotaryEmbedding;

/**
 * The attention of a GPT block (Radford et al. 2018/2019): multi-head self-attention in which
 * position {@code t} sees only positions {@code 0..t}, so that the model can be trained to
 * predict every next token of a sequence at once without seeing the answer.
 *
 * <p>Queries, keys and values come from three {@link Linear} layers named {@code query},
 * {@code key} and {@code value}, followed by the output projection {@code proj}
 * ({@link AttentionProjections}). GPT-2 fuses the
 * first three into one {@code (C, 3C)} product; we keep them apart because it reads like
 * equation 1, because LoRA can then adapt {@code W_q} and {@code W_v} alone as in Hu et al.
 * (2021, section 7.1), and because here it costs nothing: three products of {@code (C, C)} do
 * the same arithmetic as one of {@code (C, 3C)}, and splitting the fused result would copy it.
 *
 * <p>With a {@link KvCache.LayerCache}, the keys and values of earlier positions are taken from
 * the cache and only the new positions are computed ({@link #forward(Tensor, KvCache.LayerCache)}).
 * With a {@link RotaryEmbedding}, queries and keys are rotated by their position (RoPE) and the
 * model needs no position embedding. With a {@code window}, position {@code t} sees only the last
 * {@code window} positions {@code t - window + 1 .. t} ({@link AttentionMask#slidingWindow}), and a
 * rolling cache of {@code window} positions ({@link KvCache#rolling}) gives the same outputs as
 * one that keeps everything.
 *
 * <p>Shape legend: B batch, T positions, C channels ({@code nEmbd}), nh heads, hs head size
 * ({@code C / nh}), L cached positions.
 */
public class CausalSelfAttention extends AttentionProjections {
    public final int nEmbd;
    private final Dropout residDropout;
    private final RotaryEmbedding rotary;
    /** Positions each query sees, itself included; 0 for all earlier ones. */
    public final int window;

    /**
     * @param rotary RoPE applied to queries and keys, or null for none (learned or sinusoidal
     *               positions are then added to the input by the model)
     */
    public CausalSelfAttention(int nEmbd, int nHead, float dropout, boolean bias, RotaryEmbedding rotary, Rng rng) {
        this(nEmbd, nHead, dropout, bias, rotary, 0, rng);
    }

    /** @param window sliding window: each position sees the last {@code window} positions (0: all) */
    public CausalSelfAttention(int nEmbd, int nHead, float dropout, boolean bias, RotaryEmbedding rotary, int window,
                               Rng rng) {
        super("nEmbd", nEmbd, nHead, dropout, bias, rng);
        if (window < 0) {
            throw new IllegalArgumentException("CausalSelfAttention: window must be 0 (all positions) or positive, got "
                    + window);
        }
        this.nEmbd = nEmbd;
        this.window = window;
        this.residDropout = child("residDropout", new Dropout(dropout, rng.split()));
        this.rotary = rotary == null ? null : child("rotary", rotary);
    }

    /** Causal self-attention over {@code x (B, T, C)}; returns {@code (B, T, C)}. */
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * The same for new positions {@code x (B, T, C)} that follow the {@code L} positions in
     * {@code cache} (null: no cache, {@code L = 0}); the new keys and values are appended to it.
     * The cache may hold fewer than {@code L} (a rolling cache, {@code S} held), as long as it
     * holds every key the window reaches.
     */
    public Tensor forward(Tensor x, KvCache.LayerCache cache) {
        if (x.dim() != 3 || x.size(2) != nEmbd) {
            throw new IllegalArgumentException("CausalSelfAttention(nEmbd=" + nEmbd + "): input "
                    + Shape.format(x.shape()) + " is not (B, T, " + nEmbd + ")");
        }
        int t = x.size(1);
        int past = cache == null ? 0 : cache.length();
        if (cache != null && cache.size() < past && (window == 0 || cache.size() + 1 < window)) {
            throw new IllegalArgumentException("CausalSelfAttention: the cache holds " + cache.size() + " of " + past
                    + " earlier positions, fewer than the " + (window == 0 ? past : window - 1)
                    + " the attention reaches (window=" + window + ")");
        }
        Tensor q = Heads.split(query.forward(x), nHead);                   // (B, nh, T, hs)
        Tensor k = Heads.split(key.forward(x), nHead);                     // (B, nh, T, hs)
        Tensor v = Heads.split(value.forward(x), nHead);                   // (B, nh, T, hs)
        if (rotary != null) {
            q = rotary.forward(q, past);
            k = rotary.forward(k, past);
        }
        if (cache != null) {
            Tensor[] kv = cache.append(k, v);
            k = kv[0];                                                     // (B, nh, S + T, hs)
            v = kv[1];                                                     // (B, nh, S + T, hs)
        }
        Tensor y = attention.forward(q, k, v, mask(t, k.size(2))).output();  // (B, nh, T, hs)
        return residDropout.forward(proj.forward(Heads.merge(y)));         // (B, T, C)
    }

    /** The {@code (T, S + T)} mask of {@code t} queries that are the last of {@code tk} key positions. */
    private AttentionMask mask(int t, int tk) {
        return window == 0 ? AttentionMask.causal(t, tk) : AttentionMask.slidingWindow(t, tk, window);
    }

    @Override
    protected String describe() {
        return "nEmbd=" + nEmbd + ", nHead=" + nHead + (rotary == null ? "" : ", rope")
                + (window == 0 ? "" : ", window=" + window);
    }
}
