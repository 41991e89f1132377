package dev.gradbook.nn.train;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.loss.Losses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GradientAccumulationTest {
    @Test
    void fourMicroBatchesGiveTheWholeBatchGradient() {
        Tensor x = Tensor.randn(new Rng(1), 8, 3);
        Tensor y = Tensor.randn(new Rng(2), 8, 2);
        Linear whole = new Linear(3, 2, new Rng(3));
        Linear pieces = new Linear(3, 2, new Rng(3));
        Tensor loss = Losses.mse(whole.forward(x), y);
        loss.backward();
        double mean = GradientAccumulation.backward(4,
                j -> Losses.mse(pieces.forward(x.narrow(0, 2 * j, 2)), y.narrow(0, 2 * j, 2)));
        assertEquals(loss.item(), mean, 1e-6);
        assertArrayEquals(whole.weight.grad().data(), pieces.weight.grad().data(), 1e-6f);
        assertArrayEquals(whole.bias.grad().data(), pieces.bias.grad().data(), 1e-6f);
    }

    @Test
    void rejectsNoMicroBatchesAndNonScalarLosses() {
        assertThrows(IllegalArgumentException.class, () -> GradientAccumulation.backward(0, j -> Tensor.scalar(1)));
        assertThrows(IllegalArgumentException.class, () -> GradientAccumulation.backward(1, j -> Tensor.zeros(2)));
    }
}
