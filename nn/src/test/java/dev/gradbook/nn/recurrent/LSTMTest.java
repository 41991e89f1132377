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

class LSTMTest {

    @Test
    void equalsTheCellsAppliedStepByStep() {
        Rng rng = new Rng(1);
        LSTM lstm = new LSTM(3, 4, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 5, 3);
        Tensor h0 = Tensor.randn(rng, 2, 2, 4);
        Tensor c0 = Tensor.randn(rng, 2, 2, 4);
        LSTM.Output out = lstm.forward(x, h0, c0);
        assertShape(out.output(), 2, 5, 4);
        assertShape(out.h(), 2, 2, 4);
        assertShape(out.c(), 2, 2, 4);

        Tensor sequence = x;
        for (int l = 0; l < 2; l++) {
            LSTMCell.State s = new LSTMCell.State(h0.select(0, l), c0.select(0, l));
            List<Tensor> hs = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                s = lstm.cell(l).forward(sequence.select(1, t), s);
                hs.add(s.h());
            }
            assertClose(s.h(), out.h().select(0, l), 1e-6);
            assertClose(s.c(), out.c().select(0, l), 1e-6);
            sequence = Tensor.stack(hs, 1);
        }
        assertClose(sequence, out.output(), 1e-6);
    }

    @Test
    void continuingFromTheFinalStateEqualsOneLongRun() {
        // running T = 6 at once equals running 4 steps, then 2 more from the returned (h, c)
        Rng rng = new Rng(2);
        LSTM lstm = new LSTM(2, 3, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 6, 2);
        LSTM.Output whole = lstm.forward(x);
        LSTM.Output first = lstm.forward(x.narrow(1, 0, 4));
        LSTM.Output rest = lstm.forward(x.narrow(1, 4, 2), first.h(), first.c());
        assertClose(whole.output().narrow(1, 4, 2), rest.output(), 1e-6);
        assertClose(whole.c(), rest.c(), 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(3);
        LSTM lstm = new LSTM(2, 2, 2, rng);
        Tensor x = Tensor.randn(rng, 2, 3, 2).requiresGrad(true);
        Tensor h0 = Tensor.randn(rng, 2, 2, 2).requiresGrad(true);
        Tensor c0 = Tensor.randn(rng, 2, 2, 2).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>(List.of(x, h0, c0));
        inputs.addAll(lstm.parameters());
        assertGradients("LSTM 2 layers", in -> {
            LSTM.Output o = lstm.forward(in[0], in[1], in[2]);
            return Tensor.cat(List.of(o.output().reshape(-1), o.h().reshape(-1), o.c().reshape(-1)), 0);
        }, inputs.toArray(new Tensor[0]));
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        LSTM lstm = new LSTM(3, 4, 2, new Rng(0));
        var rank = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(5, 3)));
        assertTrue(rank.getMessage().contains("LSTM") && rank.getMessage().contains("[5, 3]"), rank.getMessage());
        var c0 = assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(Tensor.zeros(2, 5, 3), null, Tensor.zeros(2, 4)));
        assertTrue(c0.getMessage().contains("c0") && c0.getMessage().contains("[2, 4]"), c0.getMessage());
    }
}
