package dev.gradbook.nn.conv;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvgPool2dTest {
    private static final Tensor IMAGE = Tensor.of(new float[] {
            1, 5, 2, 0,
            3, 4, 8, 7,
            9, 6, 1, 2,
            0, 2, 3, 4}, 1, 1, 4, 4);

    @Test
    void averagesEachWindow() {
        assertValues(new AvgPool2d(2).forward(IMAGE), 1e-6, 13 / 4.0, 17 / 4.0, 17 / 4.0, 10 / 4.0);
    }

    @Test
    void overlappingWindowsWithStrideOne() {
        Tensor y = new AvgPool2d(3, 1).forward(IMAGE);
        assertShape(y, 1, 1, 2, 2);
        assertValues(y, 1e-6, 39 / 9.0, 35 / 9.0, 36 / 9.0, 37 / 9.0);
    }

    @Test
    void backwardSpreadsTheGradientEvenly() {
        Tensor x = IMAGE.copy().requiresGrad(true);
        new AvgPool2d(3, 1).forward(x).sum().backward();
        // each pixel gets 1/9 per window that covers it (corners 1, edges 2, centre 4 windows)
        assertValues(x.grad(), 1e-6,
                1 / 9.0, 2 / 9.0, 2 / 9.0, 1 / 9.0,
                2 / 9.0, 4 / 9.0, 4 / 9.0, 2 / 9.0,
                2 / 9.0, 4 / 9.0, 4 / 9.0, 2 / 9.0,
                1 / 9.0, 2 / 9.0, 2 / 9.0, 1 / 9.0);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randn(new Rng(12), 2, 3, 5, 6).requiresGrad(true);
        assertGradients("AvgPool2d(2)", in -> new AvgPool2d(2).forward(in[0]), x);
        assertGradients("AvgPool2d(3, 2)", in -> new AvgPool2d(3, 2).forward(in[0]), x);
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        var rank = assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2).forward(Tensor.zeros(2, 4, 4)));
        assertTrue(rank.getMessage().contains("AvgPool2d") && rank.getMessage().contains("[2, 4, 4]"), rank.getMessage());
    }
}
