package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Creation, inspection, in-place helpers and printing. */
class TensorTest {

    @Test
    void factoriesCopyOrWrapAsDocumented() {
        float[] values = {1, 2, 3, 4, 5, 6};
        Tensor copied = Tensor.of(values, 2, 3);
        Tensor wrapped = Tensor.wrap(values, 3, 2);
        values[0] = 99;
        assertEquals(1f, copied.get(0, 0), "of() copies");
        assertEquals(99f, wrapped.get(0, 0), "wrap() shares");
        assertShape(Tensor.of(new float[] {1, 2, 3}), 3);
        assertShape(Tensor.vector(1, 2), 2);
        assertShape(Tensor.scalar(2), new int[0]);
        assertEquals(0, Tensor.scalar(2).dim());
        Tensor rows = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertShape(rows, 2, 3);
        assertEquals(6f, rows.get(1, 2));
        assertEquals(6f, rows.get(-1, -1), "negative indices count from the end");
        Tensor blocks = Tensor.of(new float[][][] {{{1, 2}}, {{3, 4}}, {{5, 6}}});
        assertShape(blocks, 3, 1, 2);
        assertValues(blocks, 0, 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.fromDoubles(new double[] {0.5, 1e-3}, 2, 1), 1e-9, 0.5, 1e-3);
    }

    @Test
    void constantFactories() {
        assertValues(Tensor.zeros(2, 2), 0, 0, 0, 0, 0);
        assertValues(Tensor.ones(3), 0, 1, 1, 1);
        assertValues(Tensor.full(-2.5f, 2, 1), 0, -2.5, -2.5);
        assertShape(Tensor.zerosLike(Tensor.ones(4, 1)), 4, 1);
        assertValues(Tensor.onesLike(Tensor.zeros(2)), 0, 1, 1);
        assertValues(Tensor.eye(3), 0, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertShape(Tensor.eye(0), 0, 0);
    }

    @Test
    void arangeAndLinspace() {
        assertValues(Tensor.arange(5), 0, 0, 1, 2, 3, 4);
        assertShape(Tensor.arange(0), 0);
        assertValues(Tensor.arange(1, 2, 0.25f), 0, 1, 1.25, 1.5, 1.75);
        assertValues(Tensor.arange(5, 0, -2), 0, 5, 3, 1);
        assertShape(Tensor.arange(3, 1, 1), 0);
        // a step that is not exact in binary still gives ceil((end - start) / step) values
        assertShape(Tensor.arange(0, 1, 0.1f), 10);
        assertValues(Tensor.arange(0, 1, 0.1f), 1e-6, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);
        assertValues(Tensor.linspace(0, 1, 5), 0, 0, 0.25, 0.5, 0.75, 1);
        assertValues(Tensor.linspace(-1, 1, 3), 0, -1, 0, 1);
        assertValues(Tensor.linspace(2, 3, 1), 0, 2);
        assertShape(Tensor.linspace(2, 3, 0), 0);
        Tensor many = Tensor.linspace(-3, 7, 1001);
        assertEquals(-3f, many.get(0));
        assertEquals(7f, many.get(1000), "the end point is exact");
        assertEquals(2f, many.get(500), 1e-6);
    }

    @Test
    void inspection() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        assertEquals(3, x.dim());
        assertEquals(24, x.numel());
        assertEquals(4, x.size(-1));
        assertEquals(2, x.size(0));
        int[] shape = x.shape();
        shape[0] = 100;
        assertArrayEquals(new int[] {2, 3, 4}, x.shape(), "shape() returns a copy");
        float[] copy = x.toArray();
        copy[0] = 100;
        assertEquals(0f, x.get(0, 0, 0), "toArray() returns a copy");
        assertEquals(23f, x.get(1, 2, 3));
        assertEquals(5f, Tensor.scalar(5).item());
        assertFalse(x.hasNonFinite());
        assertTrue(Tensor.vector(1, Float.POSITIVE_INFINITY).hasNonFinite());
        assertTrue(Tensor.vector(Float.NaN).hasNonFinite());
    }

    @Test
    void allClose() {
        Tensor a = Tensor.vector(1, 2, Float.NaN);
        assertTrue(a.allClose(Tensor.vector(1.001f, 2, Float.NaN), 0, 0.01f));
        assertFalse(a.allClose(Tensor.vector(1.1f, 2, Float.NaN), 0, 0.01f));
        assertTrue(a.allClose(Tensor.vector(1.1f, 2, Float.NaN), 0.1f, 0));
        assertFalse(a.allClose(Tensor.vector(1, 2, 3), 0.1f, 0.1f));
        assertFalse(Tensor.zeros(2, 3).allClose(Tensor.zeros(3, 2), 1, 1), "shapes must match");
        // equal infinities are close (as in NumPy and PyTorch); opposite ones are not
        Tensor inf = Tensor.vector(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertTrue(inf.allClose(inf.copy(), 1e-5f, 1e-8f));
        assertFalse(inf.allClose(inf.neg(), 1e-5f, 1e-8f));
        assertFalse(inf.allClose(Tensor.vector(0, 0), 1e-5f, 1e-8f));
        assertFalse(Tensor.vector(0, 0).allClose(inf, 1e-5f, 1e-8f));
    }

    @Test
    void detachSharesCopyDoesNot() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        assertSame(x.data(), x.detach().data());
        assertNotSame(x.data(), x.copy().data());
        assertFalse(x.copy().requiresGrad());
        assertValues(x.copy(), 0, 1, 2);
    }

    @Test
    void inPlaceHelpers() {
        Tensor x = Tensor.zeros(2, 3);
        x.addInPlace(Tensor.vector(1, 2, 3));
        assertValues(x, 0, 1, 2, 3, 1, 2, 3);
        x.addInPlace(Tensor.ones(2, 3), -2f);
        assertValues(x, 0, -1, 0, 1, -1, 0, 1);
        x.mulInPlace(3f);
        assertValues(x, 0, -3, 0, 3, -3, 0, 3);
        x.setInPlace(7f, 1, -1);
        assertEquals(7f, x.get(1, 2));
        x.copyInPlace(Tensor.arange(6));
        assertValues(x, 0, 0, 1, 2, 3, 4, 5);
        x.fillInPlace(0.5f);
        assertValues(x, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
    }

    @Test
    void toStringShowsShapeValuesAndOp() {
        Tensor m = Tensor.of(new float[][] {{1, -2.5f}, {0, 3.14159f}});
        String s = m.toString();
        assertTrue(s.startsWith("tensor("), s);
        assertTrue(s.contains("shape=[2, 2]"), s);
        assertTrue(s.contains("-2.5000") && s.contains("3.1416"), s);
        assertFalse(s.contains("op="), s);
        Tensor leaf = Tensor.vector(1, 2).requiresGrad(true);
        assertTrue(leaf.toString().contains("requiresGrad=true"), leaf.toString());
        String made = leaf.reshape(1, 2).matmul(leaf.reshape(2, 1)).toString();
        assertTrue(made.contains("op=matmul"), made);
        assertTrue(made.contains("shape=[1, 1]"), made);
        assertTrue(leaf.sum().toString().contains("op=sum"), leaf.sum().toString());
        assertTrue(Tensor.scalar(5).toString().contains("5.0000"), Tensor.scalar(5).toString());
        assertTrue(Tensor.vector(1e-6f, 1e6f).toString().contains("e+06"), "tiny and huge values in scientific form");
        assertTrue(Tensor.vector(Float.NaN, Float.NEGATIVE_INFINITY).toString().contains("NaN"));
    }

    @Test
    void toStringTruncatesLargeTensors() {
        Tensor big = Tensor.arange(2000);
        String s = big.toString();
        assertTrue(s.contains("..."), s);
        assertTrue(s.contains("shape=[2000]"), s);
        assertTrue(s.contains("1999.0000") && s.contains("0.0000") && !s.contains("1000.0000"), s);
        assertTrue(s.length() < 200, "a 2000-element tensor prints in a few lines, got " + s.length() + " chars");
        String matrix = Tensor.arange(100 * 100).reshape(100, 100).toString();
        assertTrue(matrix.contains("..."), matrix);
        assertTrue(matrix.split("\n").length < 12, matrix);
        assertFalse(Tensor.arange(10).toString().contains("..."), "small tensors are printed in full");
    }

    @Test
    void toStringOfAHugeTensorIsQuick() {
        // only the printed corners are formatted: 4 million String.format calls would take seconds
        Tensor huge = Tensor.zeros(2000, 2000);
        huge.setInPlace(1e-7f, 1000, 1000);
        String s = assertTimeoutPreemptively(Duration.ofSeconds(2), huge::toString);
        assertTrue(s.contains("0.0000,") && s.contains("..."), s);
        assertFalse(s.contains("e-07"), "a value that is not printed does not choose the format: " + s);
    }

    @Test
    void toStringOfEmptyTensors() {
        assertTrue(Tensor.zeros(0).toString().contains("shape=[0]"));
        assertTrue(Tensor.zeros(2, 0).toString().contains("shape=[2, 0]"));
    }

    @Test
    void nestedToStringAlignsRows() {
        String s = Tensor.of(new float[][] {{1, 10}, {100, 1000}}).toString();
        String[] lines = s.split("\n");
        assertEquals(2, lines.length, s);
        assertEquals(lines[0].indexOf("10.0000"), lines[1].indexOf("1000.0000") + 2, "columns line up:\n" + s);
    }

    @Test
    void rejectsGradientRequestOnlyOnNonLeaves() {
        Tensor x = Tensor.vector(1);
        assertSame(x, x.requiresGrad(true));
        assertSame(x, x.requiresGrad(false));
        assertFalse(x.requiresGrad());
        Tensor y = x.requiresGrad(true).add(1f);
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
    }
}
