package dev.gradbook.transformer.fused;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.loss.CrossEntropyOptions;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.transformer.attention.AttentionMask;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every fused kernel against its composed twin: the same values and the same gradients. */
class FusedOpsTest {

    /**
     * Runs {@code fused} and {@code composed} on the same inputs, backpropagates the same random
     * weighting of the outputs through both, and compares the outputs and every input's gradient.
     */
    private static void assertSameFunction(Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> composed,
                                           double tol, Tensor... inputs) {
        Tensor a = fused.apply(inputs);
        Tensor b = composed.apply(inputs);
        TensorAssert.assertClose(b, a, tol);
        Tensor w = Tensor.uniform(new Rng(99), 0.5f, 1.5f, a.shape());
        a.mul(w).sum().backward();
        Tensor[] fusedGrads = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            fusedGrads[i] = inputs[i].grad();
            inputs[i].zeroGrad();
        }
        b.mul(w).sum().backward();
        for (int i = 0; i < inputs.length; i++) {
            TensorAssert.assertClose(inputs[i].grad(), fusedGrads[i], tol);
            inputs[i].zeroGrad();
        }
    }

    /** A LayerNorm of either kind whose gamma and beta are the given tensors. */
    private static Tensor layerNorm(LayerNorm ln, Tensor x, Tensor gamma, Tensor beta) {
        try (var noGrad = Autograd.noGrad()) {
            ln.weight.copyInPlace(gamma);
            ln.bias.copyInPlace(beta);
        }
        return ln.forward(x);
    }

    @Test
    void layerNormMatchesTheComposedOne() {
        Rng rng = new Rng(1);
        Tensor x = Tensor.randn(rng, 3, 5, 8).mul(3f).add(1f).detach().requiresGrad(true);
        FusedLayerNorm fused = new FusedLayerNorm(8);
        LayerNorm composed = new LayerNorm(8);
        Tensor gamma = Tensor.uniform(rng, 0.5f, 1.5f, 8);
        Tensor beta = Tensor.randn(rng, 8);
        // gradients with respect to gamma and beta: check them through the modules' own parameters
        assertSameFunction(in -> layerNorm(fused, in[0], gamma, beta), in -> layerNorm(composed, in[0], gamma, beta),
                1e-4, x);
        Tensor w = Tensor.randn(rng, 3, 5, 8);
        fused.forward(x).mul(w).sum().backward();
        composed.forward(x).mul(w).sum().backward();
        TensorAssert.assertClose(composed.weight.grad(), fused.weight.grad(), 1e-4);
        TensorAssert.assertClose(composed.bias.grad(), fused.bias.grad(), 1e-5);
    }

    @Test
    void layerNormGradientMatchesFiniteDifferences() {
        FusedLayerNorm ln = new FusedLayerNorm(4);
        Rng rng = new Rng(2);
        try (var noGrad = Autograd.noGrad()) {
            ln.weight.copyInPlace(Tensor.uniform(rng, 0.5f, 1.5f, 4));
        }
        Tensor x = Tensor.randn(rng, 2, 4).requiresGrad(true);
        GradCheckCases.assertGradients("fused layer norm", in -> ln.forward(in[0]), x, ln.weight, ln.bias);
    }

    @Test
    void geluMatchesTheTanhApproximation() {
        Tensor x = Tensor.linspace(-8f, 8f, 161).requiresGrad(true);
        FusedGelu gelu = new FusedGelu();
        assertSameFunction(in -> gelu.forward(in[0]), in -> in[0].geluTanh(), 1e-5, x);
        assertEquals(1f, FusedGelu.tanh(8f));
        assertEquals(-1f, FusedGelu.tanh(-100f));
        for (float u = -12f; u <= 12f; u += 0.01f) {
            assertEquals(Math.tanh(u), FusedGelu.tanh(u), 6e-7, "tanh(" + u + ")");
        }
        GradCheckCases.assertGradients("fused gelu", in -> gelu.forward(in[0]),
                Tensor.randn(new Rng(3), 3, 4).requiresGrad(true));
    }

    @Test
    void attentionSoftmaxMatchesTheComposedOne() {
        Rng rng = new Rng(4);
        Tensor s = Tensor.randn(rng, 2, 3, 4, 6).mul(2f).detach().requiresGrad(true);
        float scale = 0.4f;
        Tensor valid = Tensor.of(new float[] {1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0}, 2, 6);
        AttentionMask[] masks = {null, AttentionMask.causal(4, 6), AttentionMask.padding(valid),
            AttentionMask.causal(4, 6).and(AttentionMask.padding(valid))};
        for (AttentionMask mask : masks) {
            assertSameFunction(in -> FusedAttentionSoftmax.apply(in[0], scale, mask),
                    in -> (mask == null ? in[0].mul(scale) : in[0].mul(scale).add(mask.bias())).softmax(-1), 1e-5, s);
        }
        GradCheckCases.assertGradients("fused attention softmax",
                in -> FusedAttentionSoftmax.apply(in[0], scale, AttentionMask.causal(3)),
                Tensor.randn(rng, 2, 3, 3).requiresGrad(true));
        assertThrows(IllegalArgumentException.class,
                () -> FusedAttentionSoftmax.apply(Tensor.zeros(2, 3, 3), 1f, AttentionMask.causal(4)));
    }

    @Test
    void crossEntropyMatchesTheComposedOne() {
        Rng rng = new Rng(5);
        Tensor logits = Tensor.randn(rng, 6, 5).mul(3f).detach().requiresGrad(true);
        Tensor targets = Tensor.of(new float[] {0, 4, -100, 2, 2, 1}, 6);
        assertSameFunction(in -> FusedCrossEntropy.apply(in[0], targets, -100),
                in -> Losses.crossEntropy(in[0], targets, CrossEntropyOptions.ignoring(-100)), 1e-5, logits);
        GradCheckCases.assertGradients("fused cross-entropy", in -> FusedCrossEntropy.apply(in[0], targets, -100),
                Tensor.randn(rng, 6, 5).requiresGrad(true));
        var e = assertThrows(IllegalArgumentException.class,
                () -> FusedCrossEntropy.apply(logits, Tensor.of(new float[] {0, 5, 0, 0, 0, 0}, 6), -100));
        assertEquals(true, e.getMessage().contains("[0, 5)"), e.getMessage());
    }
}
