package dev.gradbook.transformer.seq2seq;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.attention.AttentionMask;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * "A stack of N identical layers" (Vaswani et al. 2017, section 3.1): {@link EncoderLayer}s
 * applied in turn, children {@code 0, 1, ...}. Used by {@link Seq2SeqTransformer} and by BERT.
 */
public class Encoder extends Module {
    private final List<EncoderLayer> layers = new ArrayList<>();

    /** {@code n} layers; {@code activation} makes a fresh activation for each (ReLU in the paper, GELU in BERT). */
    public Encoder(int n, int dModel, int nHead, int dFF, Supplier<Layer> activation, float dropout, Rng rng) {
        for (int i = 0; i < n; i++) {
            layers.add(child(Integer.toString(i), new EncoderLayer(dModel, nHead, dFF, activation.get(), dropout, rng)));
        }
    }

    /** {@code x (B, S, C)}, padding {@code mask} over the keys (or null); returns {@code (B, S, C)}. */
    public Tensor forward(Tensor x, AttentionMask mask) {
        for (EncoderLayer layer : layers) {
            x = layer.forward(x, mask);
        }
        return x;
    }

    public List<EncoderLayer> layers() {
        return java.util.Collections.unmodifiableList(layers);
    }
}
