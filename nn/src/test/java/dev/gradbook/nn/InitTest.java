package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Init against the formulas written out here: fans by hand, then sample mean, sample variance and
 * the range of a large draw. Tolerances are several standard errors of the estimate wide.
 */
class InitTest {

    /** Sample mean and (biased) variance in double. */
    static double[] meanAndVariance(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v;
        }
        double mean = s / t.numel();
        double ss = 0;
        for (float v : t.data()) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, ss / t.numel()};
    }

    /** Mean within 5 standard errors of 0; variance within {@code relTol} of {@code expectedVar}. */
    static void assertMoments(Tensor t, double expectedVar, double relTol) {
        double[] mv = meanAndVariance(t);
        double meanTol = 5 * Math.sqrt(expectedVar / t.numel());
        assertEquals(0, mv[0], meanTol, "sample mean");
        assertEquals(expectedVar, mv[1], relTol * expectedVar, "sample variance");
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Every value within the bound, and the largest within 1% of it (the draw fills the interval). */
    static void assertFillsBound(Tensor t, double bound) {
        double m = maxAbs(t);
        assertTrue(m <= bound, "max |w| " + m + " exceeds the bound " + bound);
        assertTrue(m > 0.99 * bound, "max |w| " + m + " should approach the bound " + bound);
    }

    @Test
    void fansOfLinearAndConvolutionWeights() {
        // Linear weight (out=3, in=5): each output sees 5 inputs, each input feeds 3 outputs
        assertEquals(5, Init.fanIn(3, 5));
        assertEquals(3, Init.fanOut(3, 5));
        // Conv weight (out=8, in=4, kh=3, kw=2): receptive field 6
        assertEquals(4 * 3 * 2, Init.fanIn(8, 4, 3, 2));
        assertEquals(8 * 3 * 2, Init.fanOut(8, 4, 3, 2));
        // a bias-like vector
        assertEquals(7, Init.fanIn(7));
    }

    @Test
    void leakyReluGain() {
        assertEquals(Math.sqrt(2), Init.leakyReluGain(0f), 1e-6);
        assertEquals(Math.sqrt(2 / 1.04), Init.leakyReluGain(0.2f), 1e-6);
        assertEquals(Math.sqrt(1 / 3.0), Init.leakyReluGain((float) Math.sqrt(5)), 1e-6);
    }

    @Test
    void xavierUniform() {
        int out = 200;
        int in = 300;
        Tensor w = Init.xavierUniform(new Rng(1), 1f, out, in);
        assertShape(w, out, in);
        double bound = Math.sqrt(6.0 / (in + out));
        assertFillsBound(w, bound);
        assertMoments(w, 2.0 / (in + out), 0.02);

        Tensor scaled = Init.xavierUniform(new Rng(1), 2f, out, in);
        assertFillsBound(scaled, 2 * bound);
    }

    @Test
    void xavierNormalOnAConvolutionWeight() {
        int out = 64;
        int in = 32;
        Tensor w = Init.xavierNormal(new Rng(2), 1.5f, out, in, 3, 3);
        assertShape(w, out, in, 3, 3);
        double fanIn = in * 9;
        double fanOut = out * 9;
        assertMoments(w, 1.5 * 1.5 * 2 / (fanIn + fanOut), 0.03);
    }

    @Test
    void kaimingUniformForReluAndLeakyRelu() {
        Tensor relu = Init.kaimingUniform(new Rng(3), 0f, 250, 240);
        double bound = Math.sqrt(2) * Math.sqrt(3.0 / 240);
        assertFillsBound(relu, bound);
        assertMoments(relu, 2.0 / 240, 0.02);

        Tensor leaky = Init.kaimingUniform(new Rng(4), 0.3f, 32, 16, 5, 5);
        double fanIn = 16 * 25;
        assertFillsBound(leaky, Math.sqrt(2 / 1.09) * Math.sqrt(3 / fanIn));
        assertMoments(leaky, 2 / 1.09 / fanIn, 0.03);
    }

    @Test
    void kaimingNormalOnAConvolutionWeight() {
        Tensor w = Init.kaimingNormal(new Rng(5), 0f, 128, 32, 3, 3);
        double fanIn = 32 * 9;
        assertMoments(w, 2 / fanIn, 0.03);
    }

    @Test
    void pytorchDefaultIsKaimingUniformWithSlopeRootFive() {
        int fanIn = 400;
        Tensor w = Init.pytorchDefault(new Rng(6), fanIn, 300, fanIn);
        assertFillsBound(w, 1 / Math.sqrt(fanIn));
        assertMoments(w, 1.0 / (3 * fanIn), 0.02);
        // the same bound reached through the Kaiming formula with a = sqrt(5)
        Tensor k = Init.kaimingUniform(new Rng(6), (float) Math.sqrt(5), 300, fanIn);
        assertClose(w, k, 1e-5);
        // no inputs, no spread
        assertClose(Tensor.zeros(3), Init.pytorchDefault(new Rng(6), 0, 3), 0);
    }

    @Test
    void sameSeedSameValuesOtherSeedOtherValues() {
        assertClose(Init.xavierUniform(new Rng(7), 1f, 4, 5), Init.xavierUniform(new Rng(7), 1f, 4, 5), 0);
        assertClose(Init.xavierNormal(new Rng(7), 1f, 4, 5), Init.xavierNormal(new Rng(7), 1f, 4, 5), 0);
        assertClose(Init.kaimingUniform(new Rng(7), 0f, 4, 5), Init.kaimingUniform(new Rng(7), 0f, 4, 5), 0);
        assertClose(Init.kaimingNormal(new Rng(7), 0f, 4, 5), Init.kaimingNormal(new Rng(7), 0f, 4, 5), 0);
        assertFalse(Init.kaimingNormal(new Rng(7), 0f, 4, 5).allClose(Init.kaimingNormal(new Rng(8), 0f, 4, 5), 0f, 0f));
    }
}
