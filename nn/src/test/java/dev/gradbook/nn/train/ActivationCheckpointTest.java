package dev.gradbook.nn.train;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Sequential;
import dev.gradbook.nn.loss.Losses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationCheckpointTest {
    private static Sequential stack(boolean checkpointed) {
        Rng rng = new Rng(7);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Layer block = new Sequential(new Linear(8, 8, rng), GELU.exact());
            layers.add(checkpointed ? new ActivationCheckpoint(block) : block);
        }
        return new Sequential(layers.toArray(new Layer[0]));
    }

    @Test
    void sameGradientsLessGraph() {
        Tensor x = Tensor.randn(new Rng(1), 5, 8);
        Tensor y = Tensor.randn(new Rng(2), 5, 8);
        Sequential plain = stack(false);
        Sequential checkpointed = stack(true);
        Tensor lossPlain = Losses.mse(plain.forward(x), y);
        Tensor lossCheck = Losses.mse(checkpointed.forward(x), y);
        assertEquals(lossPlain.item(), lossCheck.item(), 0f);
        long graphPlain = Autograd.graphFloats(lossPlain);
        long graphCheck = Autograd.graphFloats(lossCheck);
        // plain: per block Linear out, + bias, GELU... at least 3 tensors of 40 each; checkpointed: one output per block
        assertTrue(graphCheck < graphPlain / 2, graphCheck + " vs " + graphPlain);
        lossPlain.backward();
        lossCheck.backward();
        List<Tensor> a = plain.parameters();
        List<Tensor> b = checkpointed.parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).grad().data(), b.get(i).grad().data(), 1e-7f, "parameter " + i);
        }
    }

    @Test
    void inputGradientFlowsThrough() {
        Tensor x = Tensor.randn(new Rng(3), 2, 8).requiresGrad(true);
        Tensor x2 = x.detach().requiresGrad(true);
        stack(false).forward(x).sum().backward();
        stack(true).forward(x2).sum().backward();
        assertArrayEquals(x.grad().data(), x2.grad().data(), 1e-6f);
    }

    @Test
    void graphFloatsCountsOpOutputs() {
        Tensor x = Tensor.randn(new Rng(4), 2, 3).requiresGrad(true);
        Tensor w = Tensor.randn(new Rng(5), 2, 3);
        assertEquals(6 + 1, Autograd.graphFloats(x.mul(w).sum()));
        assertEquals(0, Autograd.graphFloats(x));
    }
}
