package dev.gradbook.transformer.attention;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiHeadAttentionTest {

    /** Projections by hand, each head's slice of channels attended separately by loops, heads concatenated. */
    private static Tensor byHand(MultiHeadAttention mha, Tensor query, Tensor key, Tensor value, AttentionMask mask) {
        Map<String, Tensor> p = mha.namedParameters();
        Tensor q = linear(query, p.get("query.weight"), p.get("query.bias"));
        Tensor k = linear(key, p.get("key.weight"), p.get("key.bias"));
        Tensor v = linear(value, p.get("value.weight"), p.get("value.bias"));
        int hs = mha.dModel / mha.nHead;
        List<Tensor> heads = new ArrayList<>();
        for (int h = 0; h < mha.nHead; h++) {
            Tensor qh = q.narrow(2, h * hs, hs).unsqueeze(1);     // (B, 1, Tq, hs)
            Tensor kh = k.narrow(2, h * hs, hs).unsqueeze(1);
            Tensor vh = v.narrow(2, h * hs, hs).unsqueeze(1);
            heads.add(ScaledDotProductAttentionLoops.attention(qh, kh, vh, mask).squeeze(1));
        }
        return linear(Tensor.cat(heads, 2), p.get("proj.weight"), p.get("proj.bias"));
    }

    /** x W^T + b with loops. */
    private static Tensor linear(Tensor x, Tensor w, Tensor b) {
        int rows = x.numel() / x.size(-1);
        int in = w.size(1);
        int out = w.size(0);
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = b.data()[o];
                for (int i = 0; i < in; i++) {
                    acc += x.data()[r * in + i] * w.data()[o * in + i];
                }
                y[r * out + o] = (float) acc;
            }
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        return Tensor.wrap(y, shape);
    }

    @Test
    void selfAttentionMatchesPerHeadLoops() {
        Rng rng = new Rng(11);
        MultiHeadAttention mha = new MultiHeadAttention(8, 2, 0f, true, rng);
        Tensor x = Tensor.randn(rng, 2, 5, 8);
        AttentionMask mask = AttentionMask.causal(5);
        TensorAssert.assertClose(byHand(mha, x, x, x, mask), mha.forward(x, mask), 1e-5);
    }

    @Test
    void crossAttentionTakesKeysFromAnotherSequence() {
        Rng rng = new Rng(12);
        MultiHeadAttention mha = new MultiHeadAttention(8, 4, 0f, true, rng);
        Tensor y = Tensor.randn(rng, 2, 3, 8);
        Tensor memory = Tensor.randn(rng, 2, 6, 8);
        AttentionMask padding = AttentionMask.padding(Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, 2, 6));
        Tensor out = mha.forward(y, memory, memory, padding);
        TensorAssert.assertShape(out, 2, 3, 8);
        TensorAssert.assertClose(byHand(mha, y, memory, memory, padding), out, 1e-5);
    }

    @Test
    void gradientsOfInputsAndWeightsMatchFiniteDifferences() {
        Rng rng = new Rng(13);
        MultiHeadAttention mha = new MultiHeadAttention(4, 2, 0f, true, rng);
        Tensor x = Tensor.randn(rng, 1, 3, 4).requiresGrad(true);
        Map<String, Tensor> p = mha.namedParameters();
        AttentionMask causal = AttentionMask.causal(3);
        GradCheckCases.assertGradients("multi-head attention", in -> mha.forward(in[0], causal),
                x, p.get("query.weight"), p.get("key.weight"), p.get("value.bias"), p.get("proj.weight"));
    }

    @Test
    void replacingAProjectionByNameChangesTheForward() {
        Rng rng = new Rng(14);
        MultiHeadAttention mha = new MultiHeadAttention(4, 2, 0f, true, rng);
        Tensor x = Tensor.randn(rng, 1, 3, 4);
        Tensor before = mha.forward(x, null);
        int[] calls = {0};
        Linear original = (Linear) mha.children().get("value");
        Layer counting = new Layer() {
            @Override
            public Tensor forward(Tensor input) {
                calls[0]++;
                return original.forward(input).mul(2f);
            }
        };
        mha.replaceChild("value", counting);
        assertSame(counting, mha.children().get("value"));
        Tensor after = mha.forward(x, null);
        assertEquals(1, calls[0]);
        // doubling the values doubles the attention output before the output projection
        Linear proj = (Linear) mha.children().get("proj");
        Tensor expected = before.sub(proj.bias).mul(2f).add(proj.bias);
        TensorAssert.assertClose(expected, after, 1e-5);
        var wrong = assertThrows(IllegalArgumentException.class, () -> mha.replaceChild("attention", counting));
        assertTrue(wrong.getMessage().contains("ScaledDotProductAttention"), wrong.getMessage());
    }

    @Test
    void wrongInputWidthIsAClearError() {
        MultiHeadAttention mha = new MultiHeadAttention(8, 2, 0f, true, new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> mha.forward(Tensor.zeros(1, 3, 6), null));
        assertTrue(e.getMessage().contains("[1, 3, 6]") && e.getMessage().contains("dModel=8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(10, 3, 0f, true, new Rng(1)));
    }
}
