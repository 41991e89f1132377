package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {

    @Test
    void trainingZeroesAboutPAndScalesTheSurvivors() {
        float p = 0.3f;
        Dropout dropout = new Dropout(p, new Rng(1));
        Tensor x = Tensor.uniform(new Rng(2), 1f, 2f, 100, 100); // no zeros in the input
        Tensor y = dropout.forward(x);
        int zeros = 0;
        for (int i = 0; i < x.numel(); i++) {
            float out = y.data()[i];
            if (out == 0f) {
                zeros++;
            } else {
                assertEquals(x.data()[i] / (1 - p), out, 1e-6f, "survivor " + i);
            }
        }
        // binomial(10000, 0.3): standard deviation ~46, so 3000 +- 200 is over 4 sigma
        assertTrue(Math.abs(zeros - 3000) < 200, "dropped " + zeros + " of 10000");
    }

    @Test
    void theMaskIsABernoulliDrawFromTheLayersGenerator() {
        float p = 0.5f;
        Tensor x = Tensor.randn(new Rng(3), 4, 6);
        Tensor y = new Dropout(p, new Rng(8)).forward(x);
        Tensor keep = Tensor.bernoulli(new Rng(8), 1 - p, 4, 6);
        float[] expected = new float[x.numel()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = x.data()[i] * keep.data()[i] / (1 - p);
        }
        assertClose(Tensor.wrap(expected, 4, 6), y, 1e-6);
    }

    @Test
    void sameSeedSameMaskAndSuccessiveCallsDrawNewMasks() {
        Tensor x = Tensor.ones(50);
        Dropout a = new Dropout(0.5f, new Rng(4));
        Dropout b = new Dropout(0.5f, new Rng(4));
        Tensor first = a.forward(x);
        assertClose(first, b.forward(x), 0);
        assertTrue(!first.allClose(a.forward(x), 0f, 0f), "a second call should draw a different mask");
    }

    @Test
    void evalAndZeroProbabilityAreTheIdentity() {
        Tensor x = Tensor.randn(new Rng(5), 3, 4);
        Dropout dropout = new Dropout(0.9f, new Rng(6));
        dropout.eval();
        assertSame(x, dropout.forward(x));
        dropout.train();
        assertTrue(!x.allClose(dropout.forward(x), 0f, 0f));
        assertSame(x, new Dropout(0f, new Rng(7)).forward(x));
    }

    @Test
    void probabilityOutsideZeroToOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1f, new Rng(0)));
        assertTrue(e.getMessage().contains("Dropout"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1f, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Float.NaN, new Rng(0)));
    }
}
