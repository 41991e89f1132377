package dev.gradbook.nn.conv;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.GradCheckCases.distinct;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaxPool2dTest {
    private static final Tensor IMAGE = Tensor.of(new float[] {
            1, 5, 2, 0,
            3, 4, 8, 7,
            9, 6, 1, 2,
            0, 2, 3, 4}, 1, 1, 4, 4);

    @Test
    void takesTheLargestValueOfEachWindow() {
        assertValues(new MaxPool2d(2).forward(IMAGE), 0, 5, 8, 9, 4);
    }

    @Test
    void paddingNeverWinsEvenAgainstNegativeValues() {
        Tensor negative = IMAGE.neg(); // windows of 2 with padding 1 and stride 2: 3 x 3 outputs
        Tensor y = new MaxPool2d(2, 2, 1).forward(negative);
        assertShape(y, 1, 1, 3, 3);
        assertValues(y, 0, -1, -2, 0, -3, -1, -2, 0, -2, -4);
    }

    @Test
    void backwardRoutesEachGradientToItsArgmax() {
        Tensor x = IMAGE.copy().requiresGrad(true);
        new MaxPool2d(2).forward(x).mul(Tensor.of(new float[] {10, 20, 30, 40}, 1, 1, 2, 2)).sum().backward();
        assertValues(x.grad(), 0,
                0, 10, 0, 0,
                0, 0, 20, 0,
                30, 0, 0, 0,
                0, 0, 0, 40);
    }

    @Test
    void overlappingWindowsAddUpAtASharedMaximum() {
        // 3 x 3 windows with stride 1 over a 4 x 4 image: the 9 at [2, 0] wins both left windows, the 8 at [1, 2] both right ones
        Tensor x = IMAGE.copy().requiresGrad(true);
        Tensor y = new MaxPool2d(3, 1, 0).forward(x);
        assertValues(y, 0, 9, 8, 9, 8);
        y.sum().backward();
        assertValues(x.grad(), 0,
                0, 0, 0, 0,
                0, 0, 2, 0,
                2, 0, 0, 0,
                0, 0, 0, 0);
    }

    @Test
    void nanPropagates() {
        Tensor x = IMAGE.copy();
        x.setInPlace(Float.NaN, 0, 0, 1, 0);
        Tensor y = new MaxPool2d(2).forward(x);
        assertTrue(Float.isNaN(y.get(0, 0, 0, 0)));
        assertTrue(y.get(0, 0, 1, 1) == 4f);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // distinct values 0.1 apart: no ties within eps, so the argmax does not flip during the check
        distinctCase(new MaxPool2d(2), 2, 3, 4, 6);
        distinctCase(new MaxPool2d(3, 2, 1), 2, 2, 5, 4);
    }

    private static void distinctCase(MaxPool2d pool, int... shape) {
        Tensor x = distinct(shape).source().draw(new dev.gradbook.core.Rng(11)).requiresGrad(true);
        assertGradients("MaxPool2d(" + pool.window + ")", in -> pool.forward(in[0]), x);
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        var rank = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(Tensor.zeros(4, 4)));
        assertTrue(rank.getMessage().contains("MaxPool2d") && rank.getMessage().contains("[4, 4]"), rank.getMessage());
        var small = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3).forward(Tensor.zeros(1, 1, 2, 5)));
        assertTrue(small.getMessage().contains("[1, 1, 2, 5]"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
    }
}
