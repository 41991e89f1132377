package dev.gradbook.transformer.attention;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.position.RotaryEmbedding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sliding-window causal attention: the mask, the attention it gives, and the rolling KV cache. */
class SlidingWindowAttentionTest {

    @Test
    void theMaskAllowsExactlyTheLastWindowPositions() {
        // 3 queries that are the last of 8 positions (5, 6, 7), window 4
        float[] bias = AttentionMask.slidingWindow(3, 8, 4).bias().data();
        String[] expected = {
            "XXOOOOXX",                     // position 5 sees 2..5
            "XXXOOOOX",                     // position 6 sees 3..6
            "XXXXOOOO",                     // position 7 sees 4..7
        };
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 8; j++) {
                boolean allowed = expected[i].charAt(j) == 'O';
                assertEquals(allowed ? 0f : Float.NEGATIVE_INFINITY, bias[i * 8 + j], "query " + i + ", key " + j);
            }
        }
    }

    @Test
    void attentionUnderTheMaskEqualsALoopInDoubles() {
        Rng rng = new Rng(11);
        for (int[] shape : new int[][] {{7, 7, 3}, {2, 7, 3}, {5, 5, 1}, {6, 6, 6}}) {
            int tq = shape[0];
            int tk = shape[1];
            int w = shape[2];
            Tensor q = Tensor.randn(rng, 2, 2, tq, 4);
            Tensor k = Tensor.randn(rng, 2, 2, tk, 4);
            Tensor v = Tensor.randn(rng, 2, 2, tk, 3);
            Tensor y = ScaledDotProductAttention.attention(q, k, v, AttentionMask.slidingWindow(tq, tk, w));
            TensorAssert.assertValues(y, 1e-5, windowedAttentionInDoubles(q, k, v, w));
        }
    }

    /** softmax over keys {@code p - w + 1 .. p} of {@code q . k / sqrt(d)}, in doubles, query at {@code p = tk - tq + i}. */
    private static double[] windowedAttentionInDoubles(Tensor q, Tensor k, Tensor v, int w) {
        int bh = q.size(0) * q.size(1);
        int tq = q.size(2);
        int tk = k.size(2);
        int d = q.size(3);
        int dv = v.size(3);
        float[] qd = q.data();
        float[] kd = k.data();
        float[] vd = v.data();
        double[] out = new double[bh * tq * dv];
        for (int h = 0; h < bh; h++) {
            for (int i = 0; i < tq; i++) {
                int p = tk - tq + i;
                int first = Math.max(0, p - w + 1);
                double[] score = new double[p + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = first; j <= p; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) {
                        s += (double) qd[(h * tq + i) * d + c] * kd[(h * tk + j) * d + c];
                    }
                    score[j] = s / Math.sqrt(d);
                    max = Math.max(max, score[j]);
                }
                double sum = 0;
                for (int j = first; j <= p; j++) {
                    score[j] = Math.exp(score[j] - max);
                    sum += score[j];
                }
                for (int j = first; j <= p; j++) {
                    for (int c = 0; c < dv; c++) {
                        out[(h * tq + i) * dv + c] += score[j] / sum * vd[(h * tk + j) * dv + c];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aWindowAsLongAsTheSequenceIsTheCausalMask() {
        TensorAssert.assertBitsEqual(AttentionMask.causal(6).bias(), AttentionMask.slidingWindow(6, 6, 6).bias());
        TensorAssert.assertBitsEqual(AttentionMask.causal(3, 7).bias(), AttentionMask.slidingWindow(3, 7, 50).bias());
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, 2, 6, 8);
        CausalSelfAttention full = new CausalSelfAttention(8, 2, 0f, true, new RotaryEmbedding(4, 8), new Rng(5));
        CausalSelfAttention windowed = new CausalSelfAttention(8, 2, 0f, true, new RotaryEmbedding(4, 8), 6, new Rng(5));
        TensorAssert.assertBitsEqual(full.forward(x), windowed.forward(x));
    }

    @Test
    void aRollingCacheGivesTheOutputsOfFullRecomputationAndStaysBounded() {
        int w = 4;
        for (RotaryEmbedding rope : new RotaryEmbedding[] {null, new RotaryEmbedding(4, 16)}) {
            CausalSelfAttention attn = new CausalSelfAttention(8, 2, 0f, true, rope, w, new Rng(7));
            Tensor x = Tensor.randn(new Rng(8), 2, 13, 8);
            try (var ignored = Autograd.noGrad()) {
                Tensor full = attn.forward(x);                                        // (2, 13, 8), windowed mask
                KvCache rolling = KvCache.rolling(1, w);
                KvCache keepAll = new KvCache(1);
                TensorAssert.assertClose(full.narrow(1, 0, 3), attn.forward(x.narrow(1, 0, 3), rolling.layer(0)), 1e-5);
                attn.forward(x.narrow(1, 0, 3), keepAll.layer(0));
                long bytesAtWindow = -1;
                for (int t = 3; t < 13; t++) {
                    Tensor step = x.narrow(1, t, 1);
                    Tensor y = attn.forward(step, rolling.layer(0));
                    TensorAssert.assertClose(full.narrow(1, t, 1), y, 1e-5);
                    TensorAssert.assertClose(y, attn.forward(step, keepAll.layer(0)), 1e-5);
                    assertEquals(Math.min(t + 1, w), rolling.size());
                    assertEquals(t + 1, rolling.length());
                    if (t + 1 == w) {
                        bytesAtWindow = rolling.bytes();
                    }
                    assertTrue(t + 1 < w || rolling.bytes() == bytesAtWindow, "the rolling cache stops growing");
                }
                // 2 (k, v) * B 2 * 8 channels * w positions * 4 bytes; the full cache holds all 13
                assertEquals(2L * 2 * 8 * w * 4, rolling.bytes());
                assertEquals(2L * 2 * 8 * 13 * 4, keepAll.bytes());
            }
        }
    }

    @Test
    void aCacheThatDroppedKeysTheWindowNeedsIsRefused() {
        CausalSelfAttention attn = new CausalSelfAttention(8, 2, 0f, true, null, 5, new Rng(7));
        KvCache tooSmall = KvCache.rolling(1, 2);
        Tensor x = Tensor.randn(new Rng(8), 1, 4, 8);
        try (var ignored = Autograd.noGrad()) {
            attn.forward(x, tooSmall.layer(0));
            var e = assertThrows(IllegalArgumentException.class, () -> attn.forward(x.narrow(1, 0, 1), tooSmall.layer(0)));
            assertTrue(e.getMessage().contains("window=5"), e.getMessage());
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(23);
        CausalSelfAttention attn = new CausalSelfAttention(4, 2, 0f, true, new RotaryEmbedding(2, 6), 2, rng);
        Tensor x = Tensor.randn(rng, 1, 5, 4).requiresGrad(true);
        var p = attn.namedParameters();
        GradCheckCases.assertGradients("sliding-window causal self-attention", in -> attn.forward(in[0]),
                x, p.get("query.weight"), p.get("key.weight"), p.get("value.weight"), p.get("proj.bias"));
    }

    @Test
    void theFusedAttentionAgreesUnderTheWindowValuesAndGradients() {
        Tensor x = Tensor.randn(new Rng(4), 2, 9, 8);
        CausalSelfAttention readable = new CausalSelfAttention(8, 2, 0f, true, new RotaryEmbedding(4, 9), 3, new Rng(6));
        CausalSelfAttention fused = new CausalSelfAttention(8, 2, 0f, true, new RotaryEmbedding(4, 9), 3, new Rng(6));
        assertEquals(1, Fused.apply(fused).size());
        Tensor xa = x.copy().requiresGrad(true);
        Tensor xb = x.copy().requiresGrad(true);
        Tensor ya = readable.forward(xa);
        Tensor yb = fused.forward(xb);
        TensorAssert.assertClose(ya, yb, 1e-5);
        Tensor upstream = Tensor.randn(new Rng(9), 2, 9, 8);
        ya.mul(upstream).sum().backward();
        yb.mul(upstream).sum().backward();
        TensorAssert.assertClose(xa.grad(), xb.grad(), 1e-5);
        TensorAssert.assertClose(readable.namedParameters().get("key.weight").grad(),
                fused.namedParameters().get("key.weight").grad(), 1e-5);
    }
}
