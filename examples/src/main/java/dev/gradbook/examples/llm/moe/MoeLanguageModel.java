package dev.gradbook.examples.llm.moe;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.transformer.moe.MixtureOfExperts;

/**
 * A small next-character model whose middle layer is a {@link MixtureOfExperts}: the previous
 * {@code context} characters are embedded and concatenated, projected to {@code dModel}, passed
 * through the experts with a residual connection, and read out as next-character logits.
 * <pre>
 *   h = W_in [e(x_{t-c+1}); ..; e(x_t)]        (B, dModel)
 *   h = h + MoE(h)                              (B, dModel)
 *   logits = W_out LayerNorm(h)                 (B, vocab)
 * </pre>
 * Small enough that a chapter trains two of them in seconds, and the MoE layer is where all the
 * non-linear work happens, so the experts have something to specialise in. The router sees
 * {@code h} itself, not a normalised copy: nothing stops its logits from growing, which is the
 * situation in which routing collapses onto a few experts.
 */
public final class MoeLanguageModel extends Module {
    public final int context;
    private final Embedding embed;
    private final Linear in;
    public final MixtureOfExperts moe;
    private final LayerNorm norm2;
    private final Linear out;

    public MoeLanguageModel(int vocab, int context, int dModel, int experts, int k, Rng rng) {
        this.context = context;
        this.embed = child("embed", new Embedding(vocab, 16, rng));
        this.in = child("in", new Linear(16 * context, dModel, rng));
        this.moe = child("moe", new MixtureOfExperts(dModel, 2 * dModel, experts, k, rng));
        this.norm2 = child("norm2", new LayerNorm(dModel));
        this.out = child("out", new Linear(dModel, vocab, rng));
    }

    /** Next-character logits (B, vocab) from the previous characters {@code ids} (B, context). */
    public Tensor forward(IntTensor ids) {
        int b = ids.size(0);
        Tensor e = embed.forward(ids).reshape(b, 16 * context);   // (B, c*16)
        Tensor h = in.forward(e);                                 // (B, C)
        h = h.add(moe.forward(h));                                // (B, C)
        return out.forward(norm2.forward(h));                     // (B, vocab)
    }

    /** Cross-entropy of the next character plus {@code alpha} times the load-balancing loss. */
    public Tensor loss(IntTensor ids, IntTensor next, float alpha) {
        Tensor ce = Losses.crossEntropy(forward(ids), next);
        return alpha == 0 ? ce : ce.add(moe.lastOutput().balanceLoss().mul(alpha));
    }
}
