package dev.gradbook.nn;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingTest {

    @Test
    void eachIdPicksItsRowOfTheWeight() {
        Embedding emb = new Embedding(5, 3, new Rng(1));
        IntTensor ids = IntTensor.of(new int[] {4, 0, 2, 2, 2, 1}, 2, 3);
        Tensor y = emb.forward(ids);
        assertShape(y, 2, 3, 3);
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 3; t++) {
                int row = ids.get(i, t);
                for (int d = 0; d < 3; d++) {
                    assertEquals(emb.weight.get(row, d), y.get(i, t, d), 0f, "ids[" + i + "," + t + "] dim " + d);
                }
            }
        }
    }

    @Test
    void aSingleIdGivesAVectorAndAVectorOfIdsAMatrix() {
        Embedding emb = new Embedding(4, 2, new Rng(2));
        assertShape(emb.forward(IntTensor.scalar(3)), 2);
        assertClose(emb.weight.narrow(0, 3, 1).reshape(2), emb.forward(IntTensor.scalar(3)), 0);
        assertShape(emb.forward(IntTensor.vector(0, 1, 1)), 3, 2);
    }

    @Test
    void gradientAddsUpOverRepeatedIdsAndSkipsUnusedRows() {
        Embedding emb = new Embedding(4, 2, new Rng(3));
        IntTensor ids = IntTensor.vector(1, 3, 1, 1);
        // loss = sum_t (t + 1) * (e[ids[t]], 0 and 1 summed): row 1 gets 1 + 3 + 4 = 8, row 3 gets 2
        Tensor scale = Tensor.of(new float[][] {{1, 1}, {2, 2}, {3, 3}, {4, 4}});
        emb.forward(ids).mul(scale).sum().backward();
        assertValues(emb.weight.grad(), 0, 0, 0, 8, 8, 0, 0, 2, 2);
    }

    @Test
    void rowsStartAsStandardNormalAndTheSameSeedGivesTheSameRows() {
        Embedding emb = new Embedding(200, 50, new Rng(4));
        double mean = 0;
        double sq = 0;
        for (float w : emb.weight.data()) {
            mean += w;
            sq += (double) w * w;
        }
        int n = emb.weight.numel();
        mean /= n;
        double var = sq / n - mean * mean;
        assertEquals(0, mean, 0.03); // standard error 1 / sqrt(10000) = 0.01
        assertEquals(1, var, 0.05);
        assertClose(emb.weight, new Embedding(200, 50, new Rng(4)).weight, 0);
    }

    @Test
    void outOfRangeIdsNameTheOpTheIdAndTheBound() {
        Embedding emb = new Embedding(10, 4, new Rng(5));
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> emb.forward(IntTensor.of(new int[] {1, 2, 3, 4, 12, 5}, 2, 3)));
        assertEquals("embedding: index 12 out of range [0, 10)", high.getMessage());
        assertThrows(IllegalArgumentException.class, () -> emb.forward(IntTensor.vector(-1)));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(IntTensor.vector(10)));
    }
}
