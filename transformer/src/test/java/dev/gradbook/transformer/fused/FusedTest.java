package dev.gradbook.transformer.fused;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.Sequential;
import dev.gradbook.transformer.attention.MultiHeadAttention;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Fused#apply} swaps exactly the modules that have a twin, keeps parameters and modes. */
class FusedTest {

    @Test
    void swapsLayerNormTanhGeluAndAttentionAndNothingElse() {
        Rng rng = new Rng(1);
        LayerNorm ln = new LayerNorm(8);
        Sequential model = new Sequential(List.of(new Linear(8, 8, true, rng), ln, GELU.tanhApproximation(), GELU.exact(),
                new LayerNorm(8, 1e-5f, false)));
        Tensor x = Tensor.randn(new Rng(2), 3, 8);
        Tensor before = model.forward(x);
        assertEquals(List.of("1", "2"), Fused.apply(model));
        assertTrue(model.get(1) instanceof FusedLayerNorm);
        assertTrue(model.get(2) instanceof FusedGelu);
        assertSame(ln.weight, ((FusedLayerNorm) model.get(1)).weight);
        TensorAssert.assertClose(before, model.forward(x), 1e-5);
    }

    @Test
    void attentionModulesGetTheFusedSoftmaxAndKeepTheirMode() {
        MultiHeadAttention mha = new MultiHeadAttention(8, 2, 0.5f, true, new Rng(3));
        mha.eval();
        Tensor x = Tensor.randn(new Rng(4), 2, 5, 8);
        Tensor before = mha.forward(x, null);
        assertEquals(List.of("attention"), Fused.apply(mha));
        Module attention = mha.children().get("attention");
        assertTrue(attention instanceof FusedScaledDotProductAttention);
        assertFalse(attention.isTraining(), "an eval-mode module stays in eval mode");
        TensorAssert.assertClose(before, mha.forward(x, null), 1e-5);
        assertEquals(List.of(), Fused.apply(mha));
    }
}
