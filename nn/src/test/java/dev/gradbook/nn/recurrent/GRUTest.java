package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GRUTest {

    @Test
    void equalsTheCellsAppliedStepByStep() {
        Rng rng = new Rng(1);
        GRU gru = new GRU(3, 4, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 5, 3);
        Tensor h0 = Tensor.randn(rng, 2, 2, 4);
        GRU.Output out = gru.forward(x, h0);
        assertShape(out.output(), 2, 5, 4);
        assertShape(out.h(), 2, 2, 4);

        // the same computation written out: each cell's forward, one step at a time, layer after layer
        StepByStep.Result expected = StepByStep.run(List.of(gru.cell(0), gru.cell(1)), x, h0);
        assertClose(expected.h(), out.h(), 1e-6);
        assertClose(expected.output(), out.output(), 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(3);
        GRU gru = new GRU(2, 3, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 3, 2).requiresGrad(true);
        Tensor h0 = Tensor.randn(rng, 2, 2, 3).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>(List.of(x, h0));
        inputs.addAll(gru.parameters());
        assertGradients("GRU 2 layers", in -> {
            GRU.Output o = gru.forward(in[0], in[1]);
            return Tensor.cat(List.of(o.output().reshape(-1), o.h().reshape(-1)), 0);
        }, inputs.toArray(new Tensor[0]));
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        GRU gru = new GRU(3, 4, new Rng(0));
        var size = assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(2, 5, 2)));
        assertTrue(size.getMessage().contains("GRU") && size.getMessage().contains("[2, 5, 2]"), size.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(2, 0, 3)));
        assertTrue(empty.getMessage().contains("T >= 1"), empty.getMessage());
    }
}
