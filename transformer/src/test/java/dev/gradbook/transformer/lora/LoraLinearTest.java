package dev.gradbook.transformer.lora;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoraLinearTest {
    @Test
    void forwardIsW0xPlusScaledBAx() {
        // in = 2, out = 2, r = 1, alpha = 4: scaling 4
        Linear base = new Linear(2, 2, new Rng(0));
        try (var noGrad = Autograd.noGrad()) {
            base.weight.copyInPlace(Tensor.of(new float[][] {{1, 2}, {3, 4}}));
            base.bias.copyInPlace(Tensor.vector(0.5f, -0.5f));
        }
        LoraLinear lora = new LoraLinear(base, 1, 4f, 0f, new Rng(1));
        try (var noGrad = Autograd.noGrad()) {
            lora.loraA().copyInPlace(Tensor.of(new float[][] {{1, -1}}));
            lora.loraB().copyInPlace(Tensor.of(new float[][] {{2}, {0.5f}}));
        }
        // x = (3, 1): W0 x + b = (5.5, 12.5); A x = 2; B A x = (4, 1); times 4 = (16, 4)
        Tensor y = lora.forward(Tensor.of(new float[][] {{3, 1}}));
        assertValues(y, 1e-6, 21.5, 16.5);
    }

    @Test
    void initialisationFollowsTheReferenceImplementation() {
        LoraLinear lora = new LoraLinear(new Linear(16, 8, new Rng(0)), 4, 8f, 0f, new Rng(1));
        assertEquals(2f, lora.scaling);
        float bound = 1 / (float) Math.sqrt(16); // kaiming-uniform, a = sqrt(5): 1 / sqrt(in)
        float maxAbs = 0;
        for (float a : lora.loraA().data()) {
            maxAbs = Math.max(maxAbs, Math.abs(a));
        }
        assertTrue(maxAbs <= bound && maxAbs > 0.5f * bound, "max |A| " + maxAbs);
        for (float b : lora.loraB().data()) {
            assertEquals(0f, b);
        }
        assertEquals(4 * (16 + 8), lora.trainableParameterCount());
        assertThrows(IllegalArgumentException.class, () -> new LoraLinear(new Linear(4, 2, new Rng(0)), 3, 1f, 0f,
                new Rng(0)));
    }

    @Test
    void gradientsOfAAndBAndTheInputAreCorrect() {
        LoraLinear lora = new LoraLinear(new Linear(4, 3, new Rng(0)), 2, 3f, 0f, new Rng(1));
        try (var noGrad = Autograd.noGrad()) {
            lora.loraB().copyInPlace(Tensor.randn(new Rng(2), 3, 2));
        }
        Tensor x = Tensor.randn(new Rng(3), 2, 4).requiresGrad(true);
        GradCheck.Report report = GradCheck.check(in -> lora.forward(in[0]), x, lora.loraA(), lora.loraB());
        assertTrue(report.passed(), report.toString());
    }

    @Test
    void mergedAndUnmergedAgree() {
        Linear base = new Linear(6, 4, new Rng(0));
        Tensor w0 = base.weight.copy();
        LoraLinear lora = new LoraLinear(base, 3, 6f, 0f, new Rng(1));
        try (var noGrad = Autograd.noGrad()) {
            lora.loraB().copyInPlace(Tensor.randn(new Rng(2), 4, 3));
        }
        Tensor x = Tensor.randn(new Rng(3), 5, 6);
        Tensor unmerged = lora.forward(x);

        lora.merge();
        // W = W0 + (alpha / r) B A, written out with loops
        float[] a = lora.loraA().data();
        float[] b = lora.loraB().data();
        float[] expected = new float[4 * 6];
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 6; i++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += b[o * 3 + k] * a[k * 6 + i];
                }
                expected[o * 6 + i] = (float) (w0.data()[o * 6 + i] + 2.0 * s);
            }
        }
        assertValues(base.weight, 1e-6, expected);
        assertClose(unmerged, lora.forward(x), 1e-5);
        assertThrows(IllegalStateException.class, lora::merge);

        lora.unmerge();
        assertClose(w0, base.weight, 1e-6);
        assertClose(unmerged, lora.forward(x), 1e-5);
    }

    @Test
    void dropoutActsOnlyOnTheLoraPathAndOnlyInTraining() {
        LoraLinear lora = new LoraLinear(new Linear(8, 8, new Rng(0)), 2, 2f, 0.5f, new Rng(1));
        try (var noGrad = Autograd.noGrad()) {
            lora.loraB().copyInPlace(Tensor.randn(new Rng(2), 8, 2));
        }
        Tensor x = Tensor.randn(new Rng(3), 4, 8);
        Tensor trained = lora.forward(x);
        lora.eval();
        Tensor evaluated = lora.forward(x);
        Tensor expected = lora.base.forward(x).add(x.matmul(lora.deltaWeight().t()));
        assertClose(expected, evaluated, 1e-5);
        assertTrue(!trained.allClose(evaluated, 1e-3f, 1e-3f), "dropout changed nothing in training mode");
        assertNull(lora.base.weight.grad());
    }
}
