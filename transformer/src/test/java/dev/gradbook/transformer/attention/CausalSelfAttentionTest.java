package dev.gradbook.transformer.attention;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.transformer.position.RotaryEmbedding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class CausalSelfAttentionTest {

    @Test
    void laterPositionsNeverChangeEarlierOutputs() {
        for (RotaryEmbedding rope : new RotaryEmbedding[] {null, new RotaryEmbedding(4, 8)}) {
            Rng rng = new Rng(21);
            CausalSelfAttention attn = new CausalSelfAttention(8, 2, 0f, true, rope, rng);
            Tensor x = Tensor.randn(rng, 1, 6, 8);
            Tensor y = attn.forward(x);
            Tensor changed = x.copy();
            for (int c = 0; c < 8; c++) {
                changed.setInPlace(5f, 0, 4, c);     // overwrite position 4
            }
            Tensor y2 = attn.forward(changed);
            TensorAssert.assertBitsEqual(y.narrow(1, 0, 4), y2.narrow(1, 0, 4));
            assertFalse(y.narrow(1, 4, 2).allClose(y2.narrow(1, 4, 2), 1e-3f, 1e-3f), "position 4 itself must change");
        }
    }

    @Test
    void feedingPositionsThroughTheCacheGivesTheSameOutputs() {
        for (RotaryEmbedding rope : new RotaryEmbedding[] {null, new RotaryEmbedding(4, 8)}) {
            Rng rng = new Rng(22);
            CausalSelfAttention attn = new CausalSelfAttention(8, 2, 0f, true, rope, rng);
            Tensor x = Tensor.randn(rng, 2, 7, 8);
            try (var ignored = Autograd.noGrad()) {
                Tensor full = attn.forward(x);
                KvCache cache = new KvCache(1);
                Tensor first = attn.forward(x.narrow(1, 0, 4), cache.layer(0));   // a prompt of 4
                Tensor fifth = attn.forward(x.narrow(1, 4, 1), cache.layer(0));   // then one at a time
                Tensor rest = attn.forward(x.narrow(1, 5, 2), cache.layer(0));    // and two at once
                assertEquals(7, cache.length());
                TensorAssert.assertClose(full, Tensor.cat(List.of(first, fifth, rest), 1), 1e-5);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(23);
        CausalSelfAttention attn = new CausalSelfAttention(4, 2, 0f, true, new RotaryEmbedding(2, 4), rng);
        Tensor x = Tensor.randn(rng, 1, 3, 4).requiresGrad(true);
        var p = attn.namedParameters();
        GradCheckCases.assertGradients("causal self-attention with RoPE", in -> attn.forward(in[0]),
                x, p.get("query.weight"), p.get("key.weight"), p.get("value.weight"), p.get("proj.bias"));
    }
}
