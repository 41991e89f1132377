package dev.gradbook.nn;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearTest {

    /** y[r, j] = b[j] + sum_k x[r, k] W[j, k], over the rows r of x flattened to (rows, in). */
    static float[] loops(Tensor x, Tensor w, Tensor b) {
        int in = w.size(1);
        int out = w.size(0);
        int rows = x.numel() / in;
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double s = b == null ? 0 : b.get(j);
                for (int k = 0; k < in; k++) {
                    s += (double) x.data()[r * in + k] * w.get(j, k);
                }
                y[r * out + j] = (float) s;
            }
        }
        return y;
    }

    @Test
    void computesXTimesWTransposedPlusBias() {
        Rng rng = new Rng(1);
        Linear linear = new Linear(5, 3, rng);
        Tensor x = Tensor.randn(rng, 4, 5);
        Tensor y = linear.forward(x);
        assertShape(y, 4, 3);
        assertClose(Tensor.wrap(loops(x, linear.weight, linear.bias), 4, 3), y, 1e-5);
    }

    @Test
    void smallCaseByHand() {
        Linear linear = new Linear(2, 2, new Rng(0));
        try (var noGrad = Autograd.noGrad()) {
            linear.weight.copyInPlace(Tensor.of(new float[][] {{1, 2}, {3, 4}}));
            linear.bias.copyInPlace(Tensor.vector(10, 20));
        }
        // [1, -1] W^T = [1 - 2, 3 - 4] = [-1, -1]; plus bias
        assertClose(Tensor.of(new float[][] {{9, 19}}), linear.forward(Tensor.of(new float[][] {{1, -1}})), 0);
    }

    @Test
    void appliesToEveryRowOfA3dInputAndWorksWithoutBias() {
        Rng rng = new Rng(2);
        Linear linear = new Linear(4, 6, false, rng);
        assertNull(linear.bias);
        assertEquals(1, linear.parameters().size());
        Tensor x = Tensor.randn(rng, 2, 3, 4);
        Tensor y = linear.forward(x);
        assertShape(y, 2, 3, 6);
        assertClose(Tensor.wrap(loops(x, linear.weight, null), 2, 3, 6), y, 1e-5);
    }

    @Test
    void acceptsASingleVector() {
        // the Javadoc promises (..., in) -> (..., out), and PyTorch maps (in) to (out)
        Rng rng = new Rng(3);
        Linear linear = new Linear(4, 2, rng);
        Tensor x = Tensor.randn(rng, 4);
        Tensor y = linear.forward(x);
        assertShape(y, 2);
        assertClose(Tensor.wrap(loops(x, linear.weight, linear.bias), 2), y, 1e-5);
    }

    @Test
    void weightAndBiasStartInsideThePyTorchBoundAndFillIt() {
        int in = 50;
        Linear linear = new Linear(in, 40, new Rng(4));
        assertShape(linear.weight, 40, in);
        assertShape(linear.bias, 40);
        double bound = 1 / Math.sqrt(in);
        double maxAbs = 0;
        for (float w : linear.weight.data()) {
            assertTrue(Math.abs(w) <= bound, "weight " + w + " outside +-" + bound);
            maxAbs = Math.max(maxAbs, Math.abs(w));
        }
        assertTrue(maxAbs > 0.95 * bound, "2000 uniform draws should come close to the bound, max " + maxAbs);
        for (float b : linear.bias.data()) {
            assertTrue(Math.abs(b) <= bound, "bias " + b + " outside +-" + bound);
        }
    }

    @Test
    void sameSeedSameWeights() {
        Linear a = new Linear(7, 3, new Rng(11));
        Linear b = new Linear(7, 3, new Rng(11));
        assertClose(a.weight, b.weight, 0);
        assertClose(a.bias, b.bias, 0);
    }

    @Test
    void wrongInputWidthNamesTheLayerAndTheShape() {
        Linear linear = new Linear(4, 3, new Rng(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linear.forward(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("Linear(in=4, out=3)"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> linear.forward(Tensor.scalar(1f)));
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3, new Rng(0)));
        assertTrue(sizes.getMessage().contains("in=0"), sizes.getMessage());
    }

    @Test
    void describesItsSizes() {
        assertTrue(new Linear(3, 2, new Rng(0)).toString().contains("Linear(in=3, out=2)"));
        assertTrue(new Linear(3, 2, false, new Rng(0)).toString().contains("bias=false"));
    }
}
