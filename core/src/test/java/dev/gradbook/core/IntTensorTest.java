package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertIndices;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The index type: factories, shapes, conversions, printing, and the ops that take or give indices. */
class IntTensorTest {

    @Test
    void factoriesAndInspection() {
        IntTensor t = IntTensor.of(new int[] {4, 0, 2, 7, 1, 3}, 2, 3);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(2, t.dim());
        assertEquals(6, t.numel());
        assertEquals(3, t.size(-1));
        assertEquals(7, t.get(1, 0));
        assertEquals(3, t.get(-1, -1));
        assertIndices(IntTensor.vector(5, 6), 5, 6);
        assertIndices(IntTensor.arange(4), 0, 1, 2, 3);
        assertIndices(IntTensor.zeros(2, 2), 0, 0, 0, 0);
        assertEquals(9, IntTensor.scalar(9).item());
        int[] values = {1, 2};
        IntTensor copied = IntTensor.of(values);
        values[0] = 100;
        assertEquals(1, copied.get(0), "of copies its values");
        assertTrue(copied.toArray() != copied.data(), "toArray copies");
    }

    @Test
    void randintStaysInRangeAndRepeatsWithTheSeed() {
        IntTensor a = IntTensor.randint(new Rng(3), -2, 5, 400);
        for (int v : a.data()) {
            assertTrue(v >= -2 && v < 5, "value " + v);
        }
        assertEquals(a, IntTensor.randint(new Rng(3), -2, 5, 400));
        boolean[] seen = new boolean[7];
        for (int v : a.data()) {
            seen[v + 2] = true;
        }
        for (boolean s : seen) {
            assertTrue(s, "every value of [-2, 5) appears in 400 draws");
        }
    }

    @Test
    void reshapeNarrowRowsAndUnsqueeze() {
        IntTensor t = IntTensor.arange(12).reshape(3, 4);
        assertIndices(t.narrow(1, 1, 2), 1, 2, 5, 6, 9, 10);
        assertShape(t.narrow(0, 2, 1), 1, 4);
        assertIndices(t.rows(2, 0), 8, 9, 10, 11, 0, 1, 2, 3);
        assertShape(t.unsqueeze(1), 3, 1, 4);
        assertShape(t.reshape(-1, 6), 2, 6);
        assertThrows(IllegalArgumentException.class, () -> t.narrow(1, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(5, 2));
        assertThrows(IllegalArgumentException.class, () -> t.rows(3));
    }

    @Test
    void conversionsAreExplicitAndExact() {
        IntTensor t = IntTensor.of(new int[] {-3, 0, 16777216}, 3);
        Tensor f = t.toFloat();
        assertValues(f, 0, -3, 0, 16777216);
        assertEquals(t, f.toIntTensor());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.vector(1f, 2.5f).toIntTensor());
        assertTrue(e.getMessage().contains("toIntTensor") && e.getMessage().contains("2.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.vector(Float.NaN).toIntTensor());
        assertThrows(IllegalArgumentException.class, () -> Tensor.vector(1e10f).toIntTensor());
    }

    @Test
    void masksAndRangeChecks() {
        IntTensor ids = IntTensor.vector(3, 0, 0, 5);
        assertValues(ids.ne(0), 0, 1, 0, 0, 1);
        assertValues(ids.eq(0), 0, 0, 1, 1, 0);
        assertValues(ids.eq(IntTensor.vector(3, 1, 0, 4)), 0, 1, 0, 1, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> ids.checkRange("embedding", 5));
        assertEquals("embedding: index 5 out of range [0, 5)", e.getMessage());
    }

    @Test
    void printsLikeATensor() {
        assertEquals("tensor([[ 1, 20],\n        [ 3, -4]], shape=[2, 2], dtype=int32)",
                IntTensor.of(new int[] {1, 20, 3, -4}, 2, 2).toString());
        assertEquals("tensor(7, shape=[], dtype=int32)", IntTensor.scalar(7).toString());
        String big = IntTensor.arange(5000).toString();
        assertTrue(big.startsWith("tensor([   0,    1,    2, ..., 4997, 4998, 4999]"), big);
    }

    @Test
    void topkGivesTheLargestFirstAndBreaksTiesByLowerIndex() {
        Tensor x = Tensor.of(new float[] {1, 5, 3, 5, 2, 9, 9, 0}, 2, 4);
        Tensor.ValuesAndIndices top = x.topk(2, 1);
        assertValues(top.values(), 0, 5, 5, 9, 9);
        assertIndices(top.indices(), 1, 3, 1, 2);
        Tensor.ValuesAndIndices down = x.topk(1, 0);
        assertValues(down.values(), 0, 2, 9, 9, 5);
        assertIndices(down.indices(), 1, 1, 1, 0);
        // NaN counts as the largest, as in PyTorch
        assertIndices(Tensor.vector(1, Float.NaN, 3).topk(2, 0).indices(), 1, 2);
        assertShape(x.topk(0, 1).indices(), 2, 0);
    }

    @Test
    void topkGradientFlowsToThePickedElements() {
        Tensor x = Tensor.vector(1, 5, 3, 4).requiresGrad(true);
        x.topk(2, 0).values().mul(Tensor.vector(10, 100)).sum().backward();
        assertValues(x.grad(), 0, 0, 10, 0, 100);
    }

    @Test
    void argminAndArgmaxKeepDim() {
        Tensor x = Tensor.of(new float[] {3, -1, 7, 2, 7, -5}, 2, 3);
        assertIndices(x.argmin(1), 1, 2);
        assertShape(x.argmin(1, true), 2, 1);
        assertIndices(x.argmax(0), 0, 1, 0);
    }

    @Test
    void indexSelectWithAnIntTensor() {
        Tensor x = Tensor.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
        assertValues(x.indexSelect(0, IntTensor.vector(2, 0, 2)), 0, 20, 21, 0, 1, 20, 21);
        var e = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, IntTensor.vector(3)));
        assertTrue(e.getMessage().contains("indexSelect: index 3 out of range [0, 3)"), e.getMessage());
    }
}
