package dev.gradbook.transformer.attention;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import dev.gradbook.core.testing.TensorAssert;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaledDotProductAttentionTest {

    @Test
    void oneQueryTwoKeysByHand() {
        // q = (1, 0); keys (1, 0), (0, 1): scores 1/sqrt(2) and 0
        Tensor q = Tensor.of(new float[] {1, 0}, 1, 1, 1, 2);
        Tensor k = Tensor.of(new float[] {1, 0, 0, 1}, 1, 1, 2, 2);
        Tensor v = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        double w0 = Math.exp(1 / Math.sqrt(2)) / (Math.exp(1 / Math.sqrt(2)) + 1);
        double w1 = 1 - w0;
        Tensor out = ScaledDotProductAttention.attention(q, k, v, null);
        TensorAssert.assertValues(out, 1e-6, w0 * 1 + w1 * 3, w0 * 2 + w1 * 4);
        TensorAssert.assertValues(ScaledDotProductAttentionLoops.attention(q, k, v, null), 1e-6,
                w0 * 1 + w1 * 3, w0 * 2 + w1 * 4);
    }

    @Test
    void loopsAgreeWithBatchedForEveryMask() {
        Rng rng = new Rng(7);
        Tensor q = Tensor.randn(rng, 2, 3, 5, 4);
        Tensor k = Tensor.randn(rng, 2, 3, 6, 4);
        Tensor v = Tensor.randn(rng, 2, 3, 6, 8);
        Tensor valid = Tensor.of(new float[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0}, 2, 6);
        AttentionMask[] masks = {null, AttentionMask.causal(5, 6), AttentionMask.padding(valid),
            AttentionMask.causal(5, 6).and(AttentionMask.padding(valid))};
        for (AttentionMask mask : masks) {
            TensorAssert.assertClose(ScaledDotProductAttentionLoops.attention(q, k, v, mask),
                    ScaledDotProductAttention.attention(q, k, v, mask), 1e-5);
        }
    }

    @Test
    void maskedKeysGetExactlyZeroWeightAndRowsSumToOne() {
        Rng rng = new Rng(3);
        ScaledDotProductAttention sdpa = new ScaledDotProductAttention(0f, rng);
        Tensor q = Tensor.randn(rng, 1, 2, 4, 3);
        Tensor w = sdpa.forward(q, q, q, AttentionMask.causal(4)).weights();   // (1, 2, 4, 4)
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 4; i++) {
                double sum = 0;
                for (int j = 0; j < 4; j++) {
                    if (j > i) {
                        assertEquals(0f, w.get(0, h, i, j));
                    }
                    sum += w.get(0, h, i, j);
                }
                assertEquals(1, sum, 1e-6);
            }
        }
        assertEquals(1f, w.get(0, 0, 0, 0), 1e-7);    // the first position can only see itself
    }

    @Test
    void paddedKeysDoNotInfluenceTheOutput() {
        Rng rng = new Rng(4);
        Tensor q = Tensor.randn(rng, 1, 1, 3, 4);
        Tensor k = Tensor.randn(rng, 1, 1, 5, 4);
        Tensor v = Tensor.randn(rng, 1, 1, 5, 2);
        AttentionMask mask = AttentionMask.padding(Tensor.of(new float[] {1, 1, 1, 0, 0}, 1, 5));
        Tensor before = ScaledDotProductAttention.attention(q, k, v, mask);
        // change the padded keys and values wildly: nothing may move
        for (int j = 3; j < 5; j++) {
            for (int c = 0; c < 4; c++) {
                k.setInPlace(100f * (c + 1), 0, 0, j, c);
            }
            v.setInPlace(-50f, 0, 0, j, 0);
        }
        TensorAssert.assertBitsEqual(before, ScaledDotProductAttention.attention(q, k, v, mask));
        // and the result is attention over the first three keys alone
        Tensor alone = ScaledDotProductAttention.attention(q, k.narrow(2, 0, 3), v.narrow(2, 0, 3), null);
        TensorAssert.assertClose(alone, before, 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(5);
        Tensor q = Tensor.randn(rng, 1, 2, 3, 4).requiresGrad(true);
        Tensor k = Tensor.randn(rng, 1, 2, 3, 4).requiresGrad(true);
        Tensor v = Tensor.randn(rng, 1, 2, 3, 2).requiresGrad(true);
        AttentionMask causal = AttentionMask.causal(3);
        GradCheckCases.assertGradients("attention, causal",
                in -> ScaledDotProductAttention.attention(in[0], in[1], in[2], causal), q, k, v);
        GradCheckCases.assertGradients("attention, no mask",
                in -> ScaledDotProductAttention.attention(in[0], in[1], in[2], null), q, k, v);
    }

    @Test
    void dropoutActsOnTheWeightsOnlyInTraining() {
        Rng rng = new Rng(6);
        ScaledDotProductAttention sdpa = new ScaledDotProductAttention(0.5f, new Rng(1));
        Tensor q = Tensor.randn(rng, 1, 1, 4, 3);
        Tensor expected = ScaledDotProductAttention.attention(q, q, q, null);
        Tensor trained = sdpa.forward(q, q, q, null).output();
        assertTrue(!trained.allClose(expected, 1e-4f, 1e-5f), "dropout should change the output in training");
        sdpa.eval();
        TensorAssert.assertClose(expected, sdpa.forward(q, q, q, null).output(), 1e-6);
    }

    @Test
    void keepsTheWeightsOnlyWhenAsked() {
        ScaledDotProductAttention sdpa = new ScaledDotProductAttention(0f, new Rng(1));
        Tensor q = Tensor.randn(new Rng(2), 1, 1, 2, 2);
        sdpa.forward(q, q, q, null);
        assertNull(sdpa.lastWeights());
        sdpa.keepWeights(true);
        Tensor w = sdpa.forward(q, q, q, null).weights();
        assertNotNull(sdpa.lastWeights());
        TensorAssert.assertBitsEqual(w, sdpa.lastWeights());
    }

    @Test
    void mismatchedShapesNameTheOperands() {
        Tensor q = Tensor.zeros(1, 2, 3, 4);
        Tensor k = Tensor.zeros(1, 2, 3, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> ScaledDotProductAttention.attention(q, k, k, null));
        assertTrue(e.getMessage().contains("[1, 2, 3, 4]") && e.getMessage().contains("[1, 2, 3, 5]"), e.getMessage());
    }

    @Test
    void causalMaskWithCacheOffset() {
        // 2 new queries after 3 cached positions: query 0 sits at position 3, sees keys 0..3
        Tensor bias = AttentionMask.causal(2, 5).bias();
        float inf = Float.NEGATIVE_INFINITY;
        TensorAssert.assertValues(bias, 0, 0, 0, 0, 0, inf, 0, 0, 0, 0, 0);
    }
}
