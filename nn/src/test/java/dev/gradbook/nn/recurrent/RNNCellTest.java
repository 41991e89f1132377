package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RNNCellTest {

    @Test
    void oneUnitByHand() {
        RNNCell cell = new RNNCell(1, 1, new Rng(0));
        try (var noGrad = Autograd.noGrad()) {
            cell.weightIh.fillInPlace(0.8f);
            cell.weightHh.fillInPlace(-0.6f);
            cell.biasIh.fillInPlace(0.1f);
            cell.biasHh.fillInPlace(0.2f);
        }
        // tanh(0.8 * 0.5 + 0.1 + (-0.6) * (-0.3) + 0.2) = tanh(0.88)
        Tensor h = cell.forward(Tensor.of(new float[] {0.5f}, 1, 1), Tensor.of(new float[] {-0.3f}, 1, 1));
        assertValues(h, 1e-6, Math.tanh(0.88));
        // from the zero state only the input term remains: tanh(0.4 + 0.1 + 0.2)
        assertValues(cell.forward(Tensor.of(new float[] {0.5f}, 1, 1)), 1e-6, Math.tanh(0.7));
    }

    @Test
    void parametersHavePyTorchNamesShapesAndInit() {
        RNNCell cell = new RNNCell(3, 4, new Rng(1));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(cell.namedParameters().keySet()));
        assertShape(cell.weightIh, 4, 3);
        assertShape(cell.weightHh, 4, 4);
        for (Tensor p : cell.parameters()) {
            for (float v : p.data()) {
                assertTrue(Math.abs(v) <= 0.5f, "U(-1/sqrt(4), 1/sqrt(4)) gave " + v);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        RNNCell cell = new RNNCell(3, 4, rng);
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad(true);
        Tensor h = Tensor.randn(rng, 2, 4).requiresGrad(true);
        assertGradients("RNNCell", in -> cell.forward(in[0], in[1]), x, h, cell.weightIh, cell.weightHh,
                cell.biasIh, cell.biasHh);
    }

    @Test
    void wrongInputsGetErrorsNamingCellAndShape() {
        RNNCell cell = new RNNCell(3, 4, new Rng(0));
        var x = assertThrows(IllegalArgumentException.class, () -> cell.forward(Tensor.zeros(2, 5)));
        assertTrue(x.getMessage().contains("RNNCell") && x.getMessage().contains("[2, 5]"), x.getMessage());
        var h = assertThrows(IllegalArgumentException.class, () -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(3, 4)));
        assertTrue(h.getMessage().contains("RNNCell") && h.getMessage().contains("[3, 4]")
                && h.getMessage().contains("[2, 4]"), h.getMessage());
    }
}
