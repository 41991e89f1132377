package dev.gradbook.nn.optim;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.gradbook.core.testing.TensorAssert.assertBitsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParamGroupsTest {
    /** A weight matrix, an embedding table, a bias and a norm gain, from a fixed seed. */
    private static Map<String, Tensor> parameters(long seed) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("fc.weight", Tensor.randn(rng, 3, 4).requiresGrad(true));
        ps.put("wte.weight", Tensor.randn(rng, 5, 3).requiresGrad(true));
        ps.put("fc.bias", Tensor.randn(rng, 3).requiresGrad(true));
        ps.put("ln.weight", Tensor.randn(rng, 3).requiresGrad(true));
        return ps;
    }

    /** Gives every parameter the same made-up gradient: 0.3 * p + 0.1 (so decay matters and g != 0). */
    private static void fakeGradients(Map<String, Tensor> ps) {
        ps.values().forEach(p -> {
            p.zeroGrad();
            p.mul(p.detach().mul(0.3f).add(0.1f)).sum().backward();   // d/dp sum(p * c) = c
        });
    }

    @Test
    void nanoGptsSplitDecaysMatricesAndEmbeddingsOnly() {
        ParamGroups groups = ParamGroups.decayMatricesOnly(parameters(1), 0.1f);
        assertEquals(List.of("fc.weight", "wte.weight"), List.copyOf(groups.groups().get(0).parameters().keySet()));
        assertEquals(List.of("fc.bias", "ln.weight"), List.copyOf(groups.groups().get(1).parameters().keySet()));
        assertEquals(0.1f, groups.weightDecay("wte.weight"));
        assertEquals(0f, groups.weightDecay("ln.weight"));
    }

    /** Grouped AdamW = two ungrouped AdamWs, one per group, each with its group's decay, bit for bit. */
    @Test
    void aGroupedOptimizerStepsEachGroupAsIfAlone() {
        Map<String, Tensor> grouped = parameters(2);
        AdamW both = new AdamW(ParamGroups.decayMatricesOnly(grouped, 0.5f), AdamW.Config.defaults().withLr(0.05f).withBetas(0.9f, 0.99f));
        Map<String, Tensor> alone = parameters(2);
        Map<String, Tensor> matrices = new LinkedHashMap<>();
        Map<String, Tensor> vectors = new LinkedHashMap<>();
        alone.forEach((name, p) -> (p.dim() >= 2 ? matrices : vectors).put(name, p));
        AdamW decayed = new AdamW(matrices, AdamW.Config.defaults().withLr(0.05f).withBetas(0.9f, 0.99f).withWeightDecay(0.5f));
        AdamW plain = new AdamW(vectors, AdamW.Config.defaults().withLr(0.05f).withBetas(0.9f, 0.99f).withWeightDecay(0f));
        for (int step = 0; step < 5; step++) {
            fakeGradients(grouped);
            both.step();
            fakeGradients(alone);
            decayed.step();
            plain.step();
        }
        grouped.forEach((name, p) -> assertBitsEqual(alone.get(name), p));
        // and the decay did something: a different decay gives different matrices
        Map<String, Tensor> noDecay = parameters(2);
        AdamW none = new AdamW(noDecay, AdamW.Config.defaults().withLr(0.05f).withBetas(0.9f, 0.99f).withWeightDecay(0f));
        for (int step = 0; step < 5; step++) {
            fakeGradients(noDecay);
            none.step();
        }
        assertFalse(noDecay.get("fc.weight").allClose(grouped.get("fc.weight"), 0f, 1e-6f));
        assertBitsEqual(noDecay.get("fc.bias"), grouped.get("fc.bias"));
    }

    @Test
    void stateDictsRoundTripWithGroups() {
        Map<String, Tensor> ps = parameters(3);
        SGD sgd = new SGD(ParamGroups.decayMatricesOnly(ps, 0.1f), SGD.Config.defaults().withLr(0.1f).withMomentum(0.9f));
        fakeGradients(ps);
        sgd.step();
        Map<String, Tensor> resumed = new LinkedHashMap<>();
        ps.forEach((name, p) -> resumed.put(name, p.detach().copy().requiresGrad(true)));
        SGD again = new SGD(ParamGroups.decayMatricesOnly(resumed, 0.1f), SGD.Config.defaults().withLr(0.1f).withMomentum(0.9f));
        again.loadStateDict(sgd.stateDict());
        for (int step = 0; step < 3; step++) {
            fakeGradients(ps);
            sgd.step();
            fakeGradients(resumed);
            again.step();
        }
        ps.forEach((name, p) -> assertBitsEqual(p, resumed.get(name)));
    }

    @Test
    void aParameterInTwoGroupsOrANegativeDecayIsAnError() {
        Map<String, Tensor> ps = parameters(4);
        var e = assertThrows(IllegalArgumentException.class, () -> ParamGroups.of(
                new ParamGroups.Group(ps, 0.1f), new ParamGroups.Group(Map.of("fc.bias", ps.get("fc.bias")), 0f)));
        assertTrue(e.getMessage().contains("'fc.bias' is in two groups"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ParamGroups.Group(ps, -0.1f));
    }
}
