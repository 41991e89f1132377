package dev.gradbook.nn;

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
        Tensor ids = Tensor.of(new float[][] {{4, 0, 2}, {2, 2, 1}});
        Tensor y = emb.forward(ids);
        assertShape(y, 2, 3, 3);
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 3; t++) {
                int row = (int) ids.get(i, t);
                for (int d = 0; d < 3; d++) {
                    assertEquals(emb.weight.get(row, d), y.get(i, t, d), 0f, "ids[" + i + "," + t + "] dim " + d);
                }
            }
        }
    }

    @Test
    void aSingleIdGivesAVectorAndAVectorOfIdsAMatrix() {
        Embedding emb = new Embedding(4, 2, new Rng(2));
        assertShape(emb.forward(Tensor.scalar(3f)), 2);
        assertClose(emb.weight.narrow(0, 3, 1).reshape(2), emb.forward(Tensor.scalar(3f)), 0);
        assertShape(emb.forward(Tensor.vector(0, 1, 1)), 3, 2);
    }

    @Test
    void gradientAddsUpOverRepeatedIdsAndSkipsUnusedRows() {
        Embedding emb = new Embedding(4, 2, new Rng(3));
        Tensor ids = Tensor.vector(1, 3, 1, 1);
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
    void outOfRangeOrFractionalIdsNameTheLayerTheIdAndTheShape() {
        Embedding emb = new Embedding(10, 4, new Rng(5));
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> emb.forward(Tensor.of(new float[][] {{1, 2, 3}, {4, 12, 5}})));
        String m = high.getMessage();
        assertTrue(m.contains("Embedding(10, 4)") && m.contains("12") && m.contains("[2, 3]"), m);
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.vector(-1)));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.vector(10)));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.vector(2.5f)));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.vector(Float.NaN)));
    }
}
