package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LSTMCellTest {

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void oneUnitByHand() {
        LSTMCell cell = new LSTMCell(1, 1, new Rng(0));
        // gate order i, f, g, o; every gate gets different numbers so a wrong order shows
        try (var noGrad = Autograd.noGrad()) {
            cell.weightIh.copyInPlace(Tensor.vector(0.5f, -0.4f, 0.3f, 0.9f));
            cell.weightHh.copyInPlace(Tensor.vector(0.2f, 0.7f, -0.6f, -0.1f));
            cell.biasIh.copyInPlace(Tensor.vector(0.1f, 0.2f, -0.3f, 0.0f));
            cell.biasHh.copyInPlace(Tensor.vector(0.05f, -0.1f, 0.2f, 0.3f));
        }
        double x = 0.8;
        double h = -0.5;
        double c = 0.6;
        // pre-activations W_i* x + b_i* + W_h* h + b_h*, worked out by hand
        double i = sigmoid(0.40 + 0.1 - 0.10 + 0.05);  // 0.45
        double f = sigmoid(-0.32 + 0.2 - 0.35 - 0.1);  // -0.57
        double g = Math.tanh(0.24 - 0.3 + 0.30 + 0.2); // 0.44
        double o = sigmoid(0.72 + 0.0 + 0.05 + 0.3);   // 1.07
        double cNext = f * c + i * g;
        double hNext = o * Math.tanh(cNext);
        LSTMCell.State next = cell.forward(Tensor.of(new float[] {(float) x}, 1, 1),
                new LSTMCell.State(Tensor.of(new float[] {(float) h}, 1, 1), Tensor.of(new float[] {(float) c}, 1, 1)));
        assertValues(next.c(), 1e-6, cNext);
        assertValues(next.h(), 1e-6, hNext);
    }

    @Test
    void gatesAreStackedFourHigh() {
        LSTMCell cell = new LSTMCell(3, 5, new Rng(1));
        assertShape(cell.weightIh, 20, 3);
        assertShape(cell.weightHh, 20, 5);
        assertShape(cell.biasHh, 20);
        LSTMCell.State s = cell.forward(Tensor.zeros(2, 3));
        assertShape(s.h(), 2, 5);
        assertShape(s.c(), 2, 5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        LSTMCell cell = new LSTMCell(3, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad(true);
        Tensor h = Tensor.randn(rng, 2, 2).requiresGrad(true);
        Tensor c = Tensor.randn(rng, 2, 2).requiresGrad(true);
        // h' and c' together, so that both outputs' gradients are checked
        assertGradients("LSTMCell", in -> {
            LSTMCell.State s = cell.forward(in[0], new LSTMCell.State(in[1], in[2]));
            return Tensor.cat(java.util.List.of(s.h(), s.c()), 1);
        }, x, h, c, cell.weightIh, cell.weightHh, cell.biasIh, cell.biasHh);
    }

    @Test
    void wrongInputsGetErrorsNamingCellAndShape() {
        LSTMCell cell = new LSTMCell(3, 4, new Rng(0));
        var x = assertThrows(IllegalArgumentException.class, () -> cell.forward(Tensor.zeros(3)));
        assertTrue(x.getMessage().contains("LSTMCell") && x.getMessage().contains("[3]"), x.getMessage());
        var c = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Tensor.zeros(2, 3), new LSTMCell.State(Tensor.zeros(2, 4), Tensor.zeros(2, 5))));
        assertTrue(c.getMessage().contains("LSTMCell") && c.getMessage().contains("[2, 5]"), c.getMessage());
    }
}
