package dev.gradbook.transformer.attention;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two readings of a 0/1 mask, each named at the call site. */
class AttentionMaskTest {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void allowingReadsOneAsMayAttendAndBlockingAsBlocked() {
        Tensor lowerTriangle = Tensor.of(new float[][] {{1, 0, 0}, {1, 1, 0}, {1, 1, 1}});
        float[] causal = {0, NEG_INF, NEG_INF, 0, 0, NEG_INF, 0, 0, 0};
        assertArrayEquals(causal, AttentionMask.allowing(lowerTriangle).bias().data());
        assertArrayEquals(causal, AttentionMask.causal(3).bias().data());
        Tensor upperTriangle = Tensor.ones(3, 3).sub(lowerTriangle);   // nn.MultiheadAttention's causal mask
        assertArrayEquals(causal, AttentionMask.blocking(upperTriangle).bias().data());
    }

    @Test
    void blockedKeysGetZeroWeight() {
        Tensor scores = Tensor.of(new float[][] {{0.3f, 2f, -1f}});
        Tensor w = scores.add(AttentionMask.blocking(Tensor.of(new float[][] {{0, 1, 0}})).bias()).softmax(-1);
        assertTrue(w.get(0, 1) == 0f && w.get(0, 0) > 0 && w.get(0, 2) > 0, w.toString());
    }

    @Test
    void valuesOtherThanZeroAndOneAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> AttentionMask.allowing(Tensor.of(new float[][] {{1, 0.5f}})));
        assertTrue(e.getMessage().contains("allowing") && e.getMessage().contains("0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.blocking(Tensor.of(new float[][] {{2, 0}})));
    }
}
