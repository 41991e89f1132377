package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertIndices;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradbook.core.testing.Reference;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reductions and the softmax family against double-precision loops and closed forms. */
class ReductionsTest {

    private static final int[] SHAPE = {3, 4, 5};

    private static Tensor sample() {
        return Tensor.randn(new Rng(11), SHAPE);
    }

    /** The shape with dimension {@code d} set to 1 (keepDim) or removed. */
    private static int[] reduced(int d, boolean keepDim) {
        if (!keepDim) {
            return Reference.without(SHAPE, d);
        }
        int[] kept = SHAPE.clone();
        kept[d] = 1;
        return kept;
    }

    @Test
    void sumAndMeanOfAll() {
        Tensor x = sample();
        double total = 0;
        for (float v : x.data()) {
            total += v;
        }
        assertShape(x.sum(), new int[0]);
        assertEquals(total, x.sum().item(), 1e-5);
        assertEquals(total / x.numel(), x.mean().item(), 1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1, -3})
    void sumAndMeanAlongEachDim(int dim) {
        Tensor x = sample();
        int d = dim < 0 ? dim + SHAPE.length : dim;
        double[] sums = Reference.sumAlong(x, d);
        double[] means = sums.clone();
        for (int i = 0; i < means.length; i++) {
            means[i] /= SHAPE[d];
        }
        for (boolean keep : new boolean[] {false, true}) {
            Tensor s = x.sum(dim, keep);
            Tensor m = x.mean(dim, keep);
            assertShape(s, reduced(d, keep));
            assertShape(m, reduced(d, keep));
            assertValues(s, 1e-6, sums);
            assertValues(m, 1e-6, means);
        }
        assertShape(x.sum(dim), reduced(d, false));
        assertShape(x.mean(dim), reduced(d, false));
    }

    @Test
    void sumsAccumulateInDouble() {
        // a float accumulator drifts to ~100958 after a million additions of 0.1f
        double exact = 1_000_000 * (double) 0.1f;
        assertEquals(exact, Tensor.full(0.1f, 1_000_000).sum().item(), 1e-2);
        assertEquals(exact, Tensor.full(0.1f, 1_000_000, 1).sum(0).item(), 1e-2);
        assertEquals(0.1f, Tensor.full(0.1f, 1_000_000).mean().item(), 1e-7);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1})
    void maxAndMinAlongEachDim(int dim) {
        Tensor x = sample();
        int d = dim < 0 ? dim + SHAPE.length : dim;
        double[] max = Reference.maxAlong(x, d);
        double[] min = Reference.maxAlong(x.neg(), d);
        for (int i = 0; i < min.length; i++) {
            min[i] = -min[i];
        }
        for (boolean keep : new boolean[] {false, true}) {
            Tensor.ValuesAndIndices mx = x.maxWithIndices(dim, keep);
            Tensor.ValuesAndIndices mn = x.minWithIndices(dim, keep);
            assertShape(mx.values(), reduced(d, keep));
            assertShape(mx.indices(), reduced(d, keep));
            assertValues(mx.values(), 0, max);
            assertValues(mn.values(), 0, min);
            assertValues(x.max(dim, keep), 0, max);
            assertValues(x.min(dim, keep), 0, min);
            // the index points at the value it reports
            Tensor picked = x.gather(d, keep ? mx.indices() : mx.indices().unsqueeze(d));
            assertValues(picked, 0, max);
        }
        assertEquals(x.maxWithIndices(dim, false).indices(), x.argmax(dim));
        assertEquals(x.minWithIndices(dim, false).indices(), x.argmin(dim));
    }

    @Test
    void maxAndArgmaxOfAll() {
        Tensor x = Tensor.of(new float[] {3, -1, 7, 2, 7, -5}, 2, 3);
        assertEquals(7f, x.max().item());
        assertEquals(-5f, x.min().item());
        assertEquals(2, x.argmax(), "the first of equal maxima");
        assertEquals(5, x.argmin());
        assertIndices(x.argmax(1, true), 2, 1);
        assertShape(x.argmax(1, true), 2, 1);
        assertIndices(Tensor.vector(4, 9, 9, 1).argmax(0), 1);
    }

    @Test
    void maxRoutesTheGradientToTheFirstMaximumOnly() {
        Tensor x = Tensor.vector(1, 5, 5, 2).requiresGrad(true);
        x.max().backward();
        assertValues(x.grad(), 0, 0, 1, 0, 0);
        Tensor m = Tensor.of(new float[] {1, 4, 4, 3, 0, 3}, 2, 3).requiresGrad(true);
        m.max(1).sum().backward();
        assertValues(m.grad(), 0, 0, 1, 0, 1, 0, 0);
    }

    /** Two-pass variance in double: mean first, then the mean squared deviation. */
    private static double[] twoPassVariance(Tensor x, int d, boolean unbiased) {
        double[] mean = Reference.sumAlong(x, d);
        int n = SHAPE[d];
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= n;
        }
        int[] outShape = Reference.without(SHAPE, d);
        double[] ss = new double[mean.length];
        for (int p = 0; p < x.numel(); p++) {
            int q = Reference.ravel(Reference.without(Reference.unravel(p, SHAPE), d), outShape);
            double dev = x.data()[p] - mean[q];
            ss[q] += dev * dev;
        }
        for (int i = 0; i < ss.length; i++) {
            ss[i] /= unbiased ? n - 1 : n;
        }
        return ss;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1})
    void varAndStdAgainstTwoPassFormula(int dim) {
        Tensor x = sample();
        int d = dim < 0 ? dim + SHAPE.length : dim;
        for (boolean unbiased : new boolean[] {false, true}) {
            double[] var = twoPassVariance(x, d, unbiased);
            double[] std = var.clone();
            for (int i = 0; i < std.length; i++) {
                std[i] = Math.sqrt(std[i]);
            }
            Correction c = unbiased ? Correction.UNBIASED : Correction.BIASED;
            for (boolean keep : new boolean[] {false, true}) {
                assertShape(x.var(dim, c, keep), reduced(d, keep));
                assertValues(x.var(dim, c, keep), 1e-5, var);
                assertValues(x.std(dim, c, keep), 1e-5, std);
            }
            assertValues(x.var(dim, c), 1e-5, var);
            assertValues(x.std(dim, c), 1e-5, std);
            if (unbiased) {
                assertValues(x.var(dim), 1e-5, var);
                assertValues(x.std(dim), 1e-5, std);
            }
        }
    }

    @Test
    void varOfAllIsUnbiased() {
        Tensor x = Tensor.vector(1, 2, 3, 4);
        assertEquals(5.0 / 3, x.var().item(), 1e-6);
        assertEquals(Math.sqrt(5.0 / 3), x.std().item(), 1e-6);
        assertEquals(1.25, x.var(0, Correction.BIASED).item(), 1e-6);
        assertShape(Tensor.zeros(2, 3).var(), new int[0]);
    }

    @Test
    void varIsStableForALargeOffset() {
        // E[x^2] - E[x]^2 in float loses everything here; the two-pass formula keeps it exact
        Tensor x = Tensor.vector(10001, 10002, 10003, 10004);
        assertEquals(5.0 / 3, x.var().item(), 1e-5);
    }

    @Test
    void logsumexpOfHugeLogitsDoesNotOverflow() {
        Tensor big = Tensor.vector(1000, 1000);
        assertEquals(1000 + Math.log(2), big.logsumexp(0, false).item(), 1e-4);
        assertTrue(Float.isInfinite(big.exp().sum().log().item()), "the naive formula overflows");
        Tensor small = Tensor.vector(-1000, -1000);
        assertEquals(-1000 + Math.log(2), small.logsumexp(0, false).item(), 1e-4);
        assertTrue(Float.isInfinite(small.exp().sum().log().item()), "the naive formula underflows");
        Tensor masked = Tensor.vector(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertEquals(Float.NEGATIVE_INFINITY, masked.logsumexp(0, false).item());
    }

    @Test
    void logsumexpGradientOfHugeLogitsIsSoftmax() {
        Tensor x = Tensor.vector(1000, 1000, 999).requiresGrad(true);
        x.logsumexp(0, false).backward();
        double e = Math.exp(-1);
        assertValues(x.grad(), 1e-6, 1 / (2 + e), 1 / (2 + e), e / (2 + e));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1})
    void logsumexpAlongEachDim(int dim) {
        Tensor x = sample().mul(3f);
        int d = dim < 0 ? dim + SHAPE.length : dim;
        double[] expSums = Reference.sumAlong(x.exp(), d);
        double[] expected = new double[expSums.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.log(expSums[i]);
        }
        assertValues(x.logsumexp(dim, false), 1e-5, expected);
        assertShape(x.logsumexp(dim, true), reduced(d, true));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, -1})
    void softmaxMatchesExpOverSum(int dim) {
        Tensor x = sample();
        int d = dim < 0 ? dim + SHAPE.length : dim;
        Tensor p = x.softmax(dim);
        assertShape(p, SHAPE);
        double[] denominators = Reference.sumAlong(x.exp(), d);
        int[] outShape = Reference.without(SHAPE, d);
        double[] expected = new double[x.numel()];
        for (int i = 0; i < expected.length; i++) {
            int q = Reference.ravel(Reference.without(Reference.unravel(i, SHAPE), d), outShape);
            expected[i] = Math.exp(x.data()[i]) / denominators[q];
        }
        assertValues(p, 1e-6, expected);
        double[] ones = new double[denominators.length];
        Arrays.fill(ones, 1);
        assertValues(p.sum(dim), 1e-6, ones);
        double[] logs = new double[expected.length];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = Math.log(expected[i]);
        }
        assertValues(x.logSoftmax(dim), 1e-5, logs);
    }

    @Test
    void softmaxOfHugeAndMaskedLogits() {
        Tensor p = Tensor.of(new float[] {1000, 1001, Float.NEGATIVE_INFINITY, -1000, -1000, -1000}, 2, 3).softmax(1);
        double e = Math.exp(-1);
        assertValues(p, 1e-6, e / (1 + e), 1 / (1 + e), 0, 1 / 3.0, 1 / 3.0, 1 / 3.0);
        assertFalse(p.hasNonFinite());
    }

    @Test
    void logSoftmaxIsExactWhereSoftmaxUnderflows() {
        Tensor x = Tensor.vector(0, -200);
        assertValues(x.logSoftmax(0), 1e-6, 0, -200);
        assertEquals(Float.NEGATIVE_INFINITY, x.softmax(0).log().get(1), "softmax itself underflows to 0");
    }

    @Test
    void sumToShapeOfAGradient() {
        // what accumulateGrad does for a broadcast input: sum leading dims and stretched dims
        Tensor g = Tensor.arange(24).reshape(2, 3, 4);
        assertValues(Reductions.sumToShape(g, new int[] {3, 1}), 0, 60, 92, 124);
        assertShape(Reductions.sumToShape(g, new int[] {3, 1}), 3, 1);
        assertValues(Reductions.sumToShape(g, new int[0]), 0, 276);
        assertValues(Reductions.sumToShape(g, new int[] {1, 4}), 0, 60, 66, 72, 78);
    }
}
