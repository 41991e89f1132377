package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activation and shape modules against their scalar formulas, evaluated here in double. */
class ActivationsTest {

    /** erf by its Maclaurin series, 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)); exact to 1e-12 for |x| <= 3. */
    static double erf(double x) {
        double term = x; // (-1)^n x^(2n+1) / n!
        double sum = 0;
        for (int n = 0; n < 80; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    static final Tensor X = Tensor.uniform(new Rng(1), -3f, 3f, 4, 5);

    static void assertElementwise(Layer layer, DoubleUnaryOperator f, double tol) {
        float[] expected = new float[X.numel()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) f.applyAsDouble(X.data()[i]);
        }
        Tensor y = layer.forward(X);
        assertClose(Tensor.wrap(expected, X.shape()), y, tol);
    }

    @Test
    void erfSeriesMatchesKnownValues() {
        // Phi(1) = (1 + erf(1/sqrt 2)) / 2 = 0.8413447460685429 (standard normal table)
        assertEquals(0.8413447460685429, 0.5 * (1 + erf(1 / Math.sqrt(2))), 1e-12);
        assertEquals(0.9772498680518208, 0.5 * (1 + erf(2 / Math.sqrt(2))), 1e-12);
    }

    @Test
    void pointwiseActivations() {
        assertElementwise(new ReLU(), x -> Math.max(0, x), 0);
        assertElementwise(new LeakyReLU(), x -> x > 0 ? x : 0.01 * x, 1e-7);
        assertElementwise(new LeakyReLU(0.3f), x -> x > 0 ? x : 0.3 * x, 1e-7);
        assertElementwise(new Tanh(), Math::tanh, 1e-6);
        assertElementwise(new Sigmoid(), x -> 1 / (1 + Math.exp(-x)), 1e-6);
        assertElementwise(new SiLU(), x -> x / (1 + Math.exp(-x)), 1e-6);
        assertElementwise(new GELU(), x -> x * 0.5 * (1 + erf(x / Math.sqrt(2))), 1e-5);
        assertElementwise(GELU.tanhApproximation(),
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), 1e-5);
    }

    @Test
    void geluAtKnownPoints() {
        // x * Phi(x) at 1, -1, 2
        assertClose(Tensor.vector(0.8413447f, -0.1586553f, 1.9544997f), new GELU().forward(Tensor.vector(1, -1, 2)), 1e-6);
    }

    @Test
    void softmaxAlongTheGivenDimension() {
        Tensor y = new Softmax(0).forward(X);
        float[] expected = new float[X.numel()];
        for (int c = 0; c < 5; c++) {
            double z = 0;
            for (int r = 0; r < 4; r++) {
                z += Math.exp(X.get(r, c));
            }
            for (int r = 0; r < 4; r++) {
                expected[r * 5 + c] = (float) (Math.exp(X.get(r, c)) / z);
            }
        }
        assertClose(Tensor.wrap(expected, 4, 5), y, 1e-6);
    }

    @Test
    void flattenAndIdentity() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 2, 2);
        Tensor flat = new Flatten().forward(x);
        assertShape(flat, 2, 12);
        assertClose(x.reshape(2, 12), flat, 0);
        assertShape(new Flatten(1, 2).forward(x), 2, 6, 2);
        assertShape(new Flatten(0, -1).forward(x), 24);
        assertSame(x, new Identity().forward(x));
    }

    @Test
    void configurationShowsInThePrintout() {
        assertTrue(new LeakyReLU(0.2f).toString().startsWith("LeakyReLU(negativeSlope=0.2)"));
        assertTrue(GELU.tanhApproximation().toString().startsWith("GELU(approximate=tanh)"));
        assertTrue(new Softmax(-1).toString().startsWith("Softmax(dim=-1)"));
        assertTrue(new ReLU().toString().startsWith("ReLU()  [0 parameters]"));
    }
}
