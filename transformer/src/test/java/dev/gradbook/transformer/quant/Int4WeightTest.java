package dev.gradbook.transformer.quant;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Int4WeightTest {
    @Test
    void perChannelCodesFollowTheFormulaByHand() {
        // row 0: absmax 1.4 -> s = 0.2; row 1: absmax 0.07 -> s = 0.01
        Tensor w = Tensor.of(new float[][] {{1.4f, -0.5f, 0.09f}, {0.07f, -0.035f, 0f}});
        Tensor back = Int4Weight.quantize(w).dequantize();
        // round(-0.5 / 0.2) = round(-2.5) = -2 (Math.round rounds half up); round(0.09 / 0.2) = 0
        assertArrayEquals(new float[] {1.4f, -0.4f, 0f, 0.07f, -0.03f, 0f}, back.data(), 1e-6f);
    }

    @Test
    void perTensorScaleCrushesTheSmallRow() {
        Tensor w = Tensor.of(new float[][] {{1.4f, -0.5f, 0.09f}, {0.07f, -0.035f, 0f}});
        Int4Weight q = Int4Weight.quantizePerTensor(w);
        assertEquals(0.2f, q.scale(1), 1e-7f);
        assertArrayEquals(new float[] {0, 0, 0}, q.dequantize().select(0, 1).data(), 0f, "all below half a step");
    }

    @Test
    void errorIsAtMostHalfAStepAndSizesAreCounted() {
        Tensor w = Tensor.randn(new Rng(1), 16, 33);
        Int4Weight q = Int4Weight.quantize(w);
        Tensor err = w.sub(q.dequantize()).abs();
        for (int i = 0; i < 16; i++) {
            assertTrue(err.select(0, i).max().item() <= q.scale(i) / 2 + 1e-6, "row " + i);
        }
        assertEquals((16 * 33 + 1) / 2 + 4 * 16, q.bytes());
        assertEquals((16 * 33 + 1) / 2 + 4, Int4Weight.quantizePerTensor(w).bytes());
        assertThrows(IllegalArgumentException.class, () -> Int4Weight.quantize(Tensor.zeros(4)));
    }
}
