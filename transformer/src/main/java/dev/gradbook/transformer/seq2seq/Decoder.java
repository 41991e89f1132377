package dev.gradbook.transformer.seq2seq;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.attention.AttentionMask;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The decoder stack (Vaswani et al. 2017, section 3.1): {@link DecoderLayer}s in turn, children {@code 0, 1, ...}. */
public class Decoder extends Module {
    private final List<DecoderLayer> layers = new ArrayList<>();

    public Decoder(int n, int dModel, int nHead, int dFF, Supplier<Layer> activation, float dropout, Rng rng) {
        for (int i = 0; i < n; i++) {
            layers.add(child(Integer.toString(i), new DecoderLayer(dModel, nHead, dFF, activation.get(), dropout, rng)));
        }
    }

    /** {@code y (B, T, C)} attending to itself (causally) and to {@code memory (B, S, C)}; returns {@code (B, T, C)}. */
    public Tensor forward(Tensor y, Tensor memory, AttentionMask selfMask, AttentionMask memoryMask) {
        for (DecoderLayer layer : layers) {
            y = layer.forward(y, memory, selfMask, memoryMask);
        }
        return y;
    }

    public List<DecoderLayer> layers() {
        return java.util.Collections.unmodifiableList(layers);
    }
}
