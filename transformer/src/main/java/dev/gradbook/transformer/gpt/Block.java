package dev.gradbook.transformer.gpt;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.FeedForward;
import dev.gradbook.transformer.attention.CausalSelfAttention;
import dev.gradbook.transformer.attention.KvCache;
import dev.gradbook.transformer.position.RotaryEmbedding;

/**
 * One GPT block, with the layer norm before each sub-layer ("pre-LN", GPT-2: Radford et al. 2019,
 * section 2.3; Xiong et al. 2020 show it trains without warm-up):
 * <pre>
 *   x = x + attn(ln1(x))      every position gathers information from earlier ones
 *   x = x + mlp(ln2(x))       then thinks about it on its own
 * </pre>
 * The residual path {@code x} is never normalised, so the gradient reaches the first block
 * unchanged through the additions. Children: {@code ln1}, {@code attn}, {@code ln2}, {@code mlp};
 * the layer norms can be swapped for faster twins ({@link #replaceChild}, as
 * {@code transformer.fused.Fused.apply} does).
 */
public class Block extends Layer {
    private Layer ln1;
    private final CausalSelfAttention attn;
    private Layer ln2;
    private final FeedForward mlp;

    public Block(GptConfig config, Rng rng) {
        int c = config.nEmbd();
        RotaryEmbedding rope = config.rotary()
                ? new RotaryEmbedding(config.headSize(), config.blockSize(), config.ropeBase(), config.ropeScale())
                : null;
        this.ln1 = child("ln1", new LayerNorm(c));
        this.attn = child("attn", new CausalSelfAttention(c, config.nHead(), config.dropout(), config.bias(), rope,
                config.slidingWindow(), rng));
        this.ln2 = child("ln2", new LayerNorm(c));
        Layer gelu = GELU.tanhApproximation();                      // as GPT-2
        this.mlp = child("mlp", new FeedForward(c, 4 * c, gelu, config.dropout(), config.bias(), rng));
    }

    /** {@code x (B, T, C) -> (B, T, C)}. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** The same for positions that follow those in {@code cache} (null for none). */
    public Tensor forward(Tensor x, KvCache.LayerCache cache) {
        x = x.add(attn.forward(ln1.forward(x), cache));       // (B, T, C)
        return x.add(mlp.forward(ln2.forward(x)));            // (B, T, C)
    }

    public CausalSelfAttention attention() {
        return attn;
    }

    @Override
    protected void onChildReplaced(String name, Module replacement) {
        switch (name) {
            case "ln1" -> ln1 = (Layer) replacement;
            case "ln2" -> ln2 = (Layer) replacement;
            default -> super.onChildReplaced(name, replacement);
        }
    }
}
