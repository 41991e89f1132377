package dev.gradbook.core;

import dev.gradbook.core.kernels.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written softmax and log-softmax must equal their compositions, in value and in
 * gradient; {@code Tensor.softmax} runs the one {@link Kernels#useHandWrittenSoftmax} chooses.
 */
class SoftmaxOpsTest {
    private static final int[] SHAPE = {3, 4, 5};

    private static void assertSame(Tensor fused, Tensor composed, float tol) {
        assertArrayEquals(composed.shape(), fused.shape());
        float[] f = fused.data();
        float[] c = composed.data();
        for (int i = 0; i < f.length; i++) {
            assertEquals(c[i], f[i], tol * Math.max(1, Math.abs(c[i])), "element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1})
    void fusedEqualsComposedInValueAndGradient(int dim) {
        for (boolean log : new boolean[] {false, true}) {
            Tensor x1 = Tensor.randn(new Rng(dim + 10), SHAPE).mul(3f).requiresGrad(true);
            Tensor x2 = x1.detach().copy().requiresGrad(true);
            Tensor w = Tensor.randn(new Rng(99), SHAPE);
            Tensor fused = log ? SoftmaxOps.logSoftmax(x1, dim) : SoftmaxOps.softmax(x1, dim);
            Tensor composed = log ? Reductions.logSoftmaxComposed(x2, dim) : Reductions.softmaxComposed(x2, dim);
            assertSame(fused, composed, 1e-6f);
            fused.mul(w).sum().backward();
            composed.mul(w).sum().backward();
            assertSame(x1.grad(), x2.grad(), 1e-5f);
        }
    }

    @Test
    void extremeLogitsAndMaskedRowsMatchTheComposition() {
        Tensor x = Tensor.of(new float[][] {
            {1000f, 1000f, -1000f},
            {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY},
            {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}});
        assertArrayEquals(Reductions.softmaxComposed(x, 1).data(), SoftmaxOps.softmax(x, 1).data(), 1e-7f);
        assertArrayEquals(Reductions.logSoftmaxComposed(x, 1).data(), SoftmaxOps.logSoftmax(x, 1).data(), 1e-4f);
        for (Tensor y : new Tensor[] {SoftmaxOps.softmax(x, 1), Reductions.softmaxComposed(x, 1)}) {
            assertEquals(0.5f, y.get(0, 0), 1e-7f);
            assertEquals(1f, y.get(1, 1), 0f);
            assertTrue(Float.isNaN(y.get(2, 0)), "an all -inf row has no softmax (0/0), as in PyTorch");
        }
    }

    @Test
    void theKernelChoiceDecidesWhichOneTensorSoftmaxRuns() {
        Tensor x = Tensor.randn(new Rng(5), SHAPE).mul(3f);
        boolean before = Kernels.handWrittenSoftmax();
        try {
            Kernels.useHandWrittenSoftmax(false);
            assertArrayEquals(Reductions.softmaxComposed(x, 1).data(), x.softmax(1).data(), 0f);
            assertArrayEquals(Reductions.logSoftmaxComposed(x, 2).data(), x.logSoftmax(2).data(), 0f);
            Kernels.useHandWrittenSoftmax(true);
            assertArrayEquals(SoftmaxOps.softmax(x, 1).data(), x.softmax(1).data(), 0f);
            assertArrayEquals(SoftmaxOps.logSoftmax(x, 2).data(), x.logSoftmax(2).data(), 0f);
        } finally {
            Kernels.useHandWrittenSoftmax(before);
        }
    }
}
