package dev.gradbook.nn.prune;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PruningMaskTest {
    @Test
    void magnitudeRemovesTheSmallestAbsoluteValues() {
        Tensor w = Tensor.of(new float[][] {{0.5f, -0.1f, 2f}, {-3f, 0.05f, 0.2f}});
        assertArrayEquals(new float[] {1, 0, 1, 1, 0, 0}, PruningMask.magnitude(w, 0.5).data());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, PruningMask.magnitude(w, 0).data());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, PruningMask.magnitude(w, 1).data());
    }

    @Test
    void rowsRemovesTheNeuronsWithTheSmallestL1Norm() {
        // L1 norms: 2.6, 3.25, 0.3
        Tensor w = Tensor.of(new float[][] {{0.5f, -0.1f, 2f}, {-3f, 0.05f, 0.2f}, {0.1f, 0.1f, -0.1f}});
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0}, PruningMask.rows(w, 0.6).data());
    }

    @Test
    void applyZeroesWeightsAndTheBiasOfRemovedNeurons() {
        Linear lin = new Linear(4, 3, new Rng(1));
        Tensor mask = PruningMask.rows(lin.weight, 1.0 / 3);
        PruningMask.apply(lin, mask);
        int removed = (int) (1 - mask.get(0, 0)) + (int) (1 - mask.get(1, 0)) + (int) (1 - mask.get(2, 0));
        assertEquals(1, removed);
        for (int r = 0; r < 3; r++) {
            if (mask.get(r, 0) == 0) {
                assertEquals(0f, lin.bias.get(r), 0f);
                assertEquals(0f, lin.weight.select(0, r).abs().sum().item());
            } else {
                assertEquals(0.0, PruningMask.sparsity(lin.weight.select(0, r)));
            }
        }
        assertEquals(0.25, PruningMask.sparsity(Tensor.vector(0, 1, 2, 3)));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> PruningMask.magnitude(Tensor.zeros(3), 1.5));
        assertThrows(IllegalArgumentException.class, () -> PruningMask.rows(Tensor.zeros(3), 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> PruningMask.apply(new Linear(2, 2, new Rng(1)), Tensor.ones(3, 2)));
    }
}
