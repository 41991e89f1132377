package dev.gradbook.nn.conv;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpsampleTest {
    private static final Tensor SMALL = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);

    @Test
    void nearestRepeatsEachPixelAsABlock() {
        Tensor y = new Upsample(2).forward(SMALL);
        assertShape(y, 1, 1, 4, 4);
        assertValues(y, 0, 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    }

    @Test
    void bilinearInterpolatesBetweenPixelCentres() {
        // output centres map to input rows -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to row 1);
        // each row of the result mixes rows [1, 2] and [3, 4] with weights (1, 0), (.75, .25), (.25, .75), (0, 1)
        Tensor y = new Upsample(2, Upsample.Mode.BILINEAR).forward(SMALL);
        assertValues(y, 1e-6,
                1.0, 1.25, 1.75, 2.0,
                1.5, 1.75, 2.25, 2.5,
                2.5, 2.75, 3.25, 3.5,
                3.0, 3.25, 3.75, 4.0);
    }

    @Test
    void nearestBackwardSumsEachBlock() {
        Tensor x = SMALL.copy().requiresGrad(true);
        new Upsample(3).forward(x).mul(Tensor.arange(36).reshape(1, 1, 6, 6)).sum().backward();
        // block (0, 0) holds 0+1+2+6+7+8+12+13+14 = 63; the others are shifted by 3, 18 and 21 per entry
        assertValues(x.grad(), 0, 63, 63 + 27, 63 + 162, 63 + 189);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randn(new Rng(13), 2, 2, 3, 4).requiresGrad(true);
        assertGradients("Upsample nearest x2", in -> new Upsample(2).forward(in[0]), x);
        assertGradients("Upsample bilinear x3", in -> new Upsample(3, Upsample.Mode.BILINEAR).forward(in[0]), x);
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        var rank = assertThrows(IllegalArgumentException.class, () -> new Upsample(2).forward(Tensor.zeros(2, 2)));
        assertTrue(rank.getMessage().contains("Upsample") && rank.getMessage().contains("[2, 2]"), rank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Upsample(0));
    }
}
