package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RNNTest {

    @Test
    void equalsTheCellsAppliedStepByStep() {
        Rng rng = new Rng(1);
        RNN rnn = new RNN(3, 4, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 5, 3);
        Tensor h0 = Tensor.randn(rng, 2, 2, 4);
        RNN.Output out = rnn.forward(x, h0);
        assertShape(out.output(), 2, 5, 4);
        assertShape(out.h(), 2, 2, 4);

        // the same computation written out: each cell's forward, one step at a time, layer after layer
        StepByStep.Result expected = StepByStep.run(List.of(rnn.cell(0), rnn.cell(1)), x, h0);
        assertClose(expected.h(), out.h(), 1e-6);
        assertClose(expected.output(), out.output(), 1e-6);
    }

    @Test
    void withoutAnInitialStateStartsFromZeros() {
        Rng rng = new Rng(2);
        RNN rnn = new RNN(3, 4, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 3, 3);
        assertClose(rnn.forward(x, Tensor.zeros(2, 2, 4)).output(), rnn.forward(x).output(), 0);
    }

    @Test
    void parametersAreNamedPerLayer() {
        RNN rnn = new RNN(3, 4, 2, new Rng(0));
        assertEquals(List.of("l0.weight_ih", "l0.weight_hh", "l0.bias_ih", "l0.bias_hh",
                "l1.weight_ih", "l1.weight_hh", "l1.bias_ih", "l1.bias_hh"), List.copyOf(rnn.namedParameters().keySet()));
        assertShape(rnn.cell(1).weightIh, 4, 4);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(3);
        RNN rnn = new RNN(2, 3, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 3, 2).requiresGrad(true);
        Tensor h0 = Tensor.randn(rng, 2, 2, 3).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>(List.of(x, h0));
        inputs.addAll(rnn.parameters());
        assertGradients("RNN 2 layers", in -> {
            RNN.Output o = rnn.forward(in[0], in[1]);
            return Tensor.cat(List.of(o.output().reshape(-1), o.h().reshape(-1)), 0);
        }, inputs.toArray(new Tensor[0]));
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        RNN rnn = new RNN(3, 4, 2, new Rng(0));
        var rank = assertThrows(IllegalArgumentException.class, () -> rnn.forward(Tensor.zeros(2, 3)));
        assertTrue(rank.getMessage().contains("RNN") && rank.getMessage().contains("[2, 3]"), rank.getMessage());
        var size = assertThrows(IllegalArgumentException.class, () -> rnn.forward(Tensor.zeros(2, 5, 4)));
        assertTrue(size.getMessage().contains("(B, T, 3)") && size.getMessage().contains("[2, 5, 4]"), size.getMessage());
        var h0 = assertThrows(IllegalArgumentException.class,
                () -> rnn.forward(Tensor.zeros(2, 5, 3), Tensor.zeros(1, 2, 4)));
        assertTrue(h0.getMessage().contains("h0") && h0.getMessage().contains("[2, 2, 4]")
                && h0.getMessage().contains("[1, 2, 4]"), h0.getMessage());
    }
}
