package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gradbook.core.testing.Reference;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rank rules of {@link Tensor#matmul} (PyTorch's): result shapes and values against a loop
 * that promotes 1-D operands, broadcasts the batch dimensions and multiplies matrix by matrix.
 * The kernels themselves are tested in the kernels package.
 */
class MatmulTest {

    static Stream<Arguments> rankRules() {
        return Stream.of(
                Arguments.of(new int[] {3}, new int[] {3}, new int[] {}),
                Arguments.of(new int[] {3}, new int[] {3, 4}, new int[] {4}),
                Arguments.of(new int[] {3, 4}, new int[] {4}, new int[] {3}),
                Arguments.of(new int[] {2, 3}, new int[] {3, 4}, new int[] {2, 4}),
                Arguments.of(new int[] {2, 2, 3}, new int[] {2, 3, 4}, new int[] {2, 2, 4}),
                Arguments.of(new int[] {2, 1, 3, 4}, new int[] {5, 4, 2}, new int[] {2, 5, 3, 2}),
                Arguments.of(new int[] {1, 3, 2}, new int[] {4, 2, 3}, new int[] {4, 3, 3}),
                Arguments.of(new int[] {2, 3, 4}, new int[] {4, 5}, new int[] {2, 3, 5}),
                Arguments.of(new int[] {2, 2, 3, 4}, new int[] {4, 5}, new int[] {2, 2, 3, 5}),
                Arguments.of(new int[] {3, 4}, new int[] {2, 4, 5}, new int[] {2, 3, 5}),
                Arguments.of(new int[] {3}, new int[] {2, 3, 4}, new int[] {2, 4}),
                Arguments.of(new int[] {2, 3, 4}, new int[] {4}, new int[] {2, 3}),
                Arguments.of(new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}));
    }

    @ParameterizedTest
    @MethodSource("rankRules")
    void resultShapeAndValues(int[] as, int[] bs, int[] expectedShape) {
        Rng rng = new Rng(5);
        Tensor a = Tensor.randn(rng, as);
        Tensor b = Tensor.randn(rng, bs);
        Tensor c = a.matmul(b);
        assertShape(c, expectedShape);
        assertValues(c, 1e-5, referenceMatmul(a, as, b, bs));
    }

    /** PyTorch's rules written out: promote 1-D operands, broadcast batches, loop over them. */
    private static float[] referenceMatmul(Tensor a, int[] as, Tensor b, int[] bs) {
        int[] am = as.length == 1 ? new int[] {1, as[0]} : as;
        int[] bm = bs.length == 1 ? new int[] {bs[0], 1} : bs;
        int m = am[am.length - 2];
        int k = am[am.length - 1];
        int n = bm[bm.length - 1];
        int[] batchA = Arrays.copyOf(am, am.length - 2);
        int[] batchB = Arrays.copyOf(bm, bm.length - 2);
        int[] batch = Reference.broadcastShape(batchA, batchB);
        int batches = Reference.numel(batch);
        float[] out = new float[batches * m * n];
        for (int p = 0; p < batches; p++) {
            int[] idx = Reference.unravel(p, batch);
            int pa = Reference.broadcastSource(idx, batchA);
            int pb = Reference.broadcastSource(idx, batchB);
            float[] ma = Arrays.copyOfRange(a.data(), pa * m * k, (pa + 1) * m * k);
            float[] mb = Arrays.copyOfRange(b.data(), pb * k * n, (pb + 1) * k * n);
            System.arraycopy(Reference.matmul(ma, mb, m, k, n), 0, out, p * m * n, m * n);
        }
        return out;
    }

    static Stream<Arguments> transposedShapes() {
        return Stream.of(
                Arguments.of(new int[] {2, 3}, new int[] {4, 3}),
                Arguments.of(new int[] {2, 3, 4}, new int[] {5, 4}),
                Arguments.of(new int[] {2, 3, 4}, new int[] {2, 5, 4}),
                Arguments.of(new int[] {2, 1, 3, 4}, new int[] {5, 2, 4}),
                Arguments.of(new int[] {3, 4}, new int[] {2, 5, 4}));
    }

    @ParameterizedTest
    @MethodSource("transposedShapes")
    void matmulTEqualsMatmulWithTheTranspose(int[] as, int[] bs) {
        Rng rng = new Rng(6);
        Tensor a = Tensor.randn(rng, as);
        Tensor b = Tensor.randn(rng, bs);
        Tensor bt = b.transpose(-1, -2);
        Tensor c = a.matmulT(b);
        assertShape(c, a.matmul(bt).shape());
        assertValues(c, 1e-5, referenceMatmul(a, as, bt, bt.shape()));
    }

    @Test
    void matmulOverAnEmptyInnerDimensionWithBatches() {
        // the 3-D x 2-D path folds the batch into rows; with k = 0 that must not become reshape(-1, 0)
        Tensor c = Tensor.zeros(2, 3, 0).matmul(Tensor.zeros(0, 5));
        assertShape(c, 2, 3, 5);
        assertValues(c, 0, new float[30]);
        assertShape(Tensor.zeros(2, 3, 0).matmulT(Tensor.zeros(5, 0)), 2, 3, 5);
        assertShape(Tensor.zeros(0, 3, 4).matmul(Tensor.zeros(4, 5)), 0, 3, 5);
    }

    @Test
    void smallProductByHand() {
        Tensor a = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tensor.of(new float[][] {{7, 8}, {9, 10}, {11, 12}});
        assertValues(a.matmul(b), 0, 58, 64, 139, 154);
        assertEquals(32f, Tensor.vector(1, 2, 3).matmul(Tensor.vector(4, 5, 6)).item());
        assertValues(a.matmul(Tensor.eye(3)), 0, a.data());
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        Tensor c = Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3));
        assertShape(c, 2, 3);
        assertValues(c, 0, 0, 0, 0, 0, 0, 0);
        assertShape(Tensor.zeros(0, 3).matmul(Tensor.ones(3, 2)), 0, 2);
        assertShape(Tensor.ones(2, 3).matmul(Tensor.ones(3, 0)), 2, 0);
        assertEquals(0f, Tensor.zeros(0).matmul(Tensor.zeros(0)).item());
    }

    @Test
    void gradientsOfAProductByHand() {
        // C = A B with dL/dC = 1:  dA = 1 B^T (row sums of B),  dB = A^T 1 (column sums of A)
        Tensor a = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad(true);
        Tensor b = Tensor.of(new float[][] {{7, 8}, {9, 10}, {11, 12}}).requiresGrad(true);
        a.matmul(b).sum().backward();
        assertValues(a.grad(), 0, 15, 19, 23, 15, 19, 23);
        assertValues(b.grad(), 0, 5, 5, 7, 7, 9, 9);
    }

    @Test
    void broadcastBatchGradientIsSummedOverTheBatch() {
        // one weight matrix shared by a batch of 3: its gradient is the sum of the three
        Tensor x = Tensor.randn(new Rng(1), 3, 2, 4);
        Tensor w = Tensor.randn(new Rng(2), 4, 5).requiresGrad(true);
        x.matmul(w).sum().backward();
        double[] expected = new double[20];
        for (int bt = 0; bt < 3; bt++) {
            for (int i = 0; i < 2; i++) {
                for (int p = 0; p < 4; p++) {
                    for (int j = 0; j < 5; j++) {
                        expected[p * 5 + j] += x.get(bt, i, p);
                    }
                }
            }
        }
        assertShape(w.grad(), 4, 5);
        assertValues(w.grad(), 1e-5, expected);
    }

    @Test
    void recordsTheMatmulOp() {
        Tensor a = Tensor.ones(2, 2).requiresGrad(true);
        assertEquals("matmul", a.matmul(Tensor.ones(2, 2)).op());
    }
}
