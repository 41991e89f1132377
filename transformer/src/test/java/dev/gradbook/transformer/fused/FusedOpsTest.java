package dev.gradbook.transformer.fused;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.transformer.attention.AttentionMask;
import dev.gradbook.transformer.attention.ScaledDotProductAttention;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    @Test
    void layerNormMatchesTheComposedOne() {
        Rng rng = new Rng(1);
        Tensor x = Tensor.randn(rng, 3, 5, 8).mul(3f).add(1f).detach().requiresGrad(true);
        LayerNorm composed = new LayerNorm(8);
        try (var noGrad = Autograd.noGrad()) {
            composed.weight.copyInPlace(Tensor.uniform(rng, 0.5f, 1.5f, 8));
            composed.bias.copyInPlace(Tensor.randn(rng, 8));
        }
        FusedLayerNorm fused = new FusedLayerNorm(composed);
        assertSame(composed.weight, fused.weight, "the twin shares the readable module's parameters");
        assertEquals(composed.namedParameters().keySet(), fused.namedParameters().keySet());
        assertSameFunction(in -> fused.forward(in[0]), in -> composed.forward(in[0]), 1e-4,
                x, composed.weight, composed.bias);
        assertThrows(IllegalArgumentException.class, () -> new FusedLayerNorm(new LayerNorm(8, 1e-5f, false)));
    }

    @Test
    void layerNormGradientMatchesFiniteDifferences() {
        FusedLayerNorm ln = new FusedLayerNorm(new LayerNorm(4));
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
    void attentionTwinMatchesTheReadableModuleWithTheSameDropoutStream() {
        Rng rng = new Rng(6);
        Tensor q = Tensor.randn(rng, 2, 2, 5, 4).detach().requiresGrad(true);
        Tensor k = Tensor.randn(rng, 2, 2, 5, 4).detach().requiresGrad(true);
        Tensor v = Tensor.randn(rng, 2, 2, 5, 4).detach().requiresGrad(true);
        ScaledDotProductAttention readable = new ScaledDotProductAttention(0.3f, new Rng(7));
        FusedScaledDotProductAttention fused = new FusedScaledDotProductAttention(
                new ScaledDotProductAttention(0.3f, new Rng(7)));
        AttentionMask causal = AttentionMask.causal(5);
        assertSameFunction(in -> fused.forward(in[0], in[1], in[2], causal).output(),
                in -> readable.forward(in[0], in[1], in[2], causal).output(), 1e-5, q, k, v);
    }
}
