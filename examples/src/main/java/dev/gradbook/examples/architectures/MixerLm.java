package dev.gradbook.examples.architectures;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.transformer.FeedForward;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The small model the architecture chapters train: a token embedding, {@code nLayer} pre-norm
 * residual blocks {@code x + mixer(LN(x))}, {@code x + FFN(LN(x))}, a final layer norm and a
 * linear head (a null feed-forward factory leaves the second sublayer out, as in Mamba, whose
 * block replaces both). Only the sequence mixer changes between chapters (retention, RWKV time-mixing,
 * a selective SSM, Hyena, attention), so their results can be compared. Inputs are one-hot
 * {@code (B, T, V)}, so the embedding is a matrix product.
 */
final class MixerLm extends Layer {
    private final Tensor embedding;
    private final List<Layer> mixers = new ArrayList<>();
    private final List<LayerNorm> norms = new ArrayList<>();
    private final List<Layer> ffns = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear head;

    /** With the transformer's GELU feed-forward of width {@code 2 nEmbd} after each mixer. */
    MixerLm(int vocab, int nEmbd, int nLayer, Function<Rng, Layer> mixer, Rng rng) {
        this(vocab, nEmbd, nLayer, mixer, r -> new FeedForward(nEmbd, 2 * nEmbd, new GELU(), 0f, true, r), rng);
    }

    MixerLm(int vocab, int nEmbd, int nLayer, Function<Rng, Layer> mixer, Function<Rng, Layer> ffn, Rng rng) {
        this.embedding = parameter("embedding", Tensor.randn(rng, vocab, nEmbd).mul(0.5f));
        for (int i = 0; i < nLayer; i++) {
            mixers.add(child("mixer" + i, mixer.apply(rng.split())));
            norms.add(child("ln" + i + "a", new LayerNorm(nEmbd)));
            norms.add(ffn == null ? null : child("ln" + i + "b", new LayerNorm(nEmbd)));
            ffns.add(ffn == null ? null : child("ffn" + i, ffn.apply(rng.split())));
        }
        this.finalNorm = child("lnF", new LayerNorm(nEmbd));
        this.head = child("head", new Linear(nEmbd, vocab, rng.split()));
    }

    /** One-hot tokens {@code (B, T, V)} to logits {@code (B, T, V)}. */
    @Override
    public Tensor forward(Tensor oneHot) {
        Tensor x = oneHot.matmul(embedding);                                           // (B, T, C)
        for (int i = 0; i < mixers.size(); i++) {
            x = x.add(mixers.get(i).forward(norms.get(2 * i).forward(x)));              // (B, T, C)
            if (ffns.get(i) != null) {
                x = x.add(ffns.get(i).forward(norms.get(2 * i + 1).forward(x)));        // (B, T, C)
            }
        }
        return head.forward(finalNorm.forward(x));                                     // (B, T, V)
    }

    Layer mixer(int layer) {
        return mixers.get(layer);
    }
}
