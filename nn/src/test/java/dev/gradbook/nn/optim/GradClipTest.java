package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradClipTest {
    /** Two parameters whose gradients are (3, 4) and (12): global norm sqrt(9 + 16 + 144) = 13. */
    private static List<Tensor> withGradients() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor b = Tensor.zeros(1).requiresGrad(true);
        a.mul(Tensor.vector(3f, 4f)).sum().add(b.mul(12f).sum()).backward();
        return List.of(a, b, Tensor.zeros(3).requiresGrad(true));    // the third has no gradient
    }

    @Test
    void clipByNormScalesAllGradientsTogether() {
        List<Tensor> ps = withGradients();
        float before = GradClip.clipByNorm(ps, 6.5f);
        assertEquals(13f, before, 1e-6);
        // scale 6.5 / 13 = 1/2 for every gradient, so directions are kept
        assertValues(ps.get(0).grad(), 1e-6, 1.5, 2.0);
        assertValues(ps.get(1).grad(), 1e-6, 6.0);
        assertEquals(6.5f, GradClip.gradNorm(ps), 1e-5);
    }

    @Test
    void clipByNormLeavesSmallGradientsAlone() {
        List<Tensor> ps = withGradients();
        assertEquals(13f, GradClip.clipByNorm(ps, 20f), 1e-6);
        assertValues(ps.get(0).grad(), 0, 3.0, 4.0);
        assertValues(ps.get(1).grad(), 0, 12.0);
    }

    @Test
    void clipByValueClampsEachElement() {
        List<Tensor> ps = withGradients();
        GradClip.clipByValue(ps, 3.5f);
        assertValues(ps.get(0).grad(), 0, 3.0, 3.5);
        assertValues(ps.get(1).grad(), 0, 3.5);
    }
}
