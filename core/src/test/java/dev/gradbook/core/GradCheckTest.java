package dev.gradbook.core;

import static dev.gradbook.core.testing.GradCheckCases.grad;
import static dev.gradbook.core.testing.GradCheckCases.shape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradbook.core.testing.GradCheckCases;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The checker must catch wrong gradients, or every passing row of the table proves nothing. */
class GradCheckTest {

    /** x^3 with a deliberately wrong derivative, 3x instead of 3x^2. */
    private static Tensor badCube(Tensor x) {
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * in[i] * in[i];
        }
        return new Tensor(out, x.shape()).recordOp("badCube", g -> {
            float[] gd = g.data();
            float[] dx = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                dx[i] = gd[i] * 3 * in[i];
            }
            x.accumulateGrad(new Tensor(dx, x.shape()));
        }, x);
    }

    /** y = x, but the backward forgets one element of the gradient. */
    private static Tensor dropsOneGradient(Tensor x) {
        return new Tensor(x.data().clone(), x.shape()).recordOp("leaky", g -> {
            Tensor dx = g.copy();
            dx.data()[dx.numel() - 1] = 0;
            x.accumulateGrad(dx);
        }, x);
    }

    @Test
    void reportsAWrongDerivative() {
        Tensor x = Tensor.vector(0.5f, 2f, -1.5f).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> badCube(in[0]), x);
        assertFalse(r.passed(), r.toString());
        assertEquals(0, r.input());
        assertTrue(r.toString().contains("DISAGREE"), r.toString());
        GradCheck.Report good = GradCheck.check(in -> in[0].pow(3f), x);
        assertTrue(good.passed(), good.toString());
    }

    @Test
    void reportsAGradientWrongInOneElementOnly() {
        Tensor x = Tensor.randn(new Rng(0), 2, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> dropsOneGradient(in[0]), x);
        assertFalse(r.passed(), r.toString());
        assertEquals(5, r.element());
    }

    /** y = 2x, but the backward hands back NaN for the first element. */
    private static Tensor nanGradient(Tensor x) {
        float[] out = x.toArray();
        for (int i = 0; i < out.length; i++) {
            out[i] *= 2;
        }
        return new Tensor(out, x.shape()).recordOp("nanGrad", g -> {
            Tensor dx = g.mul(2f);
            dx.data()[0] = Float.NaN;
            x.accumulateGrad(dx);
        }, x);
    }

    @Test
    void aNaNGradientIsAFailureNotSkipped() {
        Tensor x = Tensor.vector(0.5f, 2f, -1.5f).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> nanGradient(in[0]), x);
        assertFalse(r.passed(), r.toString());
        assertEquals(0, r.element());
        Tensor single = Tensor.vector(1f).requiresGrad(true);
        assertFalse(GradCheck.check(in -> nanGradient(in[0]), single).passed(), "NaN is the only element");
    }

    @Test
    void restoresInputsAndClearsGradients() {
        Tensor x = Tensor.vector(0.3f, -0.7f).requiresGrad(true);
        Tensor y = Tensor.vector(2f, 3f).requiresGrad(true);
        GradCheck.check(in -> in[0].mul(in[1]).exp(), x, y);
        assertValues(x, 0, new float[] {0.3f, -0.7f});
        assertValues(y, 0, new float[] {2f, 3f});
        assertNull(x.grad());
        assertNull(y.grad());
    }

    @Test
    void tableHelperFailsWithTheReport() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> grad("bad cube", in -> badCube(in[0]), shape(4)).check());
        assertTrue(e.getMessage().startsWith("bad cube: gradients DISAGREE"), e.getMessage());
        assertTrue(e.getMessage().contains("input 0: tensor("), e.getMessage());
        grad("good cube", in -> in[0].pow(3f), shape(4)).check();
    }

    @Test
    void tableHelperRejectsAGraphlessOutput() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> grad("detached", in -> in[0].exp().detach(), shape(3)).check());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
        assertThrows(AssertionError.class, () -> grad("nothing to check", in -> in[0].exp(),
                shape(3).constant()).check());
    }

    @Test
    void tableInputsAreDeterministicAndTransformed() {
        GradCheckCases.Case c = grad("inputs", in -> in[0], shape(50).positive(), shape(50).awayFrom(0f, 1f),
                GradCheckCases.distinct(50), shape(2, 3).onGrid(0.2f, 0.5f), shape());
        Tensor[] a = c.buildInputs();
        Tensor[] b = c.buildInputs();
        for (int i = 0; i < a.length; i++) {
            assertValues(b[i], 0, a[i].data());
            assertTrue(a[i].requiresGrad());
        }
        for (float v : a[0].data()) {
            assertTrue(v >= 0.5f, "positive() gives at least 0.5, got " + v);
        }
        for (float v : a[1].data()) {
            assertTrue(Math.abs(v) >= GradCheckCases.KINK_MARGIN && Math.abs(v - 1) >= GradCheckCases.KINK_MARGIN,
                    "awayFrom(0, 1) gave " + v);
        }
        float[] sorted = a[2].toArray();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            assertTrue(sorted[i] - sorted[i - 1] > 0.09f, "distinct values are spread out");
        }
        for (float v : a[3].data()) {
            double steps = v / 0.2 - 0.5;
            assertEquals(Math.rint(steps), steps, 1e-4, "on the half-step grid: " + v);
        }
        assertEquals(0, a[4].dim(), "shape() with no sizes is a 0-d scalar");
    }
}
