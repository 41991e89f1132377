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

class GRUCellTest {

    @Test
    void oneUnitByHand() {
        GRUCell cell = new GRUCell(1, 1, new Rng(0));
        // gate order r, z, n
        try (var noGrad = Autograd.noGrad()) {
            cell.weightIh.copyInPlace(Tensor.vector(0.5f, -0.4f, 0.3f));
            cell.weightHh.copyInPlace(Tensor.vector(0.2f, 0.7f, -0.6f));
            cell.biasIh.copyInPlace(Tensor.vector(0.1f, 0.2f, -0.3f));
            cell.biasHh.copyInPlace(Tensor.vector(0.05f, -0.1f, 0.2f));
        }
        double h = -0.5;
        // x = 0.8; pre-activations worked out by hand
        double r = LSTMCellTest.sigmoid(0.40 + 0.1 - 0.10 + 0.05);  // 0.45
        double z = LSTMCellTest.sigmoid(-0.32 + 0.2 - 0.35 - 0.1);  // -0.57
        // the reset gate scales the whole recurrent term, bias b_hn included: r * (0.30 + 0.2)
        double n = Math.tanh(0.24 - 0.3 + r * (0.30 + 0.2));
        double hNext = (1 - z) * n + z * h;
        Tensor out = cell.forward(Tensor.of(new float[] {0.8f}, 1, 1), Tensor.of(new float[] {(float) h}, 1, 1));
        assertValues(out, 1e-6, hNext);
    }

    @Test
    void gatesAreStackedThreeHigh() {
        GRUCell cell = new GRUCell(3, 5, new Rng(1));
        assertShape(cell.weightIh, 15, 3);
        assertShape(cell.weightHh, 15, 5);
        assertShape(cell.forward(Tensor.zeros(2, 3)), 2, 5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        GRUCell cell = new GRUCell(3, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad(true);
        Tensor h = Tensor.randn(rng, 2, 2).requiresGrad(true);
        assertGradients("GRUCell", in -> cell.forward(in[0], in[1]), x, h, cell.weightIh, cell.weightHh,
                cell.biasIh, cell.biasHh);
    }

    @Test
    void wrongInputsGetErrorsNamingCellAndShape() {
        GRUCell cell = new GRUCell(3, 4, new Rng(0));
        var x = assertThrows(IllegalArgumentException.class, () -> cell.forward(Tensor.zeros(2, 4)));
        assertTrue(x.getMessage().contains("GRUCell") && x.getMessage().contains("[2, 4]"), x.getMessage());
    }
}
