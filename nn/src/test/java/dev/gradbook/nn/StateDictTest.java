package dev.gradbook.nn;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module.stateDict and loadStateDict: what is saved, what is checked, and that a failed load changes nothing. */
class StateDictTest {

    /** A copy of every value, to compare with after a load. */
    static Map<String, Tensor> snapshot(Module m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    static void assertUnchanged(Map<String, Tensor> before, Module m) {
        m.stateDict().forEach((k, v) -> assertClose(before.get(k), v, 0));
    }

    /** A state dict for {@code TinyNet} whose values all differ from {@code net}'s. */
    static Map<String, Tensor> otherState() {
        TinyNet other = new TinyNet(new Rng(100));
        other.forward(Tensor.randn(new Rng(101), 8, 4)); // moves the running statistics away from 0 and 1
        return snapshot(other);
    }

    static IllegalArgumentException assertRejectedAndUnchanged(TinyNet net, Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> before = snapshot(net);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.loadStateDict(state, strict));
        assertUnchanged(before, net);
        return e;
    }

    @Test
    void holdsParametersAndBuffersByDottedNameAndTheLiveTensors() {
        TinyNet net = new TinyNet(new Rng(1));
        Map<String, Tensor> state = net.stateDict();
        assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
                "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var", "head.weight", "head.bias"),
                List.copyOf(state.keySet()));
        assertSame(net.norm.runningVar, state.get("norm.running_var"));
        assertSame(net.head.weight, state.get("head.weight"));
    }

    @Test
    void loadingCopiesValuesInPlaceSoAnOptimizerKeepsWorking() {
        TinyNet net = new TinyNet(new Rng(2));
        Map<String, Tensor> identities = new LinkedHashMap<>(net.stateDict());
        SGD sgd = new SGD(net.namedParameters(), 0.1f);
        Map<String, Tensor> saved = otherState();

        net.loadStateDict(saved);
        net.stateDict().forEach((k, v) -> {
            assertSame(identities.get(k), v, k + " was replaced, not overwritten");
            assertClose(saved.get(k), v, 0);
        });
        // the loaded values are copies: changing the source afterwards does not reach the module
        try (var noGrad = Autograd.noGrad()) {
            saved.get("head.bias").fillInPlace(42f);
        }
        assertFalse(net.head.bias.allClose(saved.get("head.bias"), 0f, 0f));

        // the optimizer, built before the load, still updates the module's tensors
        float before = net.head.bias.get(0);
        net.forward(Tensor.randn(new Rng(3), 4, 4)).sum().backward();
        float g = net.head.bias.grad().get(0);
        sgd.step();
        assertEquals(before - 0.1f * g, net.head.bias.get(0), 1e-6f);
    }

    @Test
    void aLoadedModelComputesWhatTheSavedOneDid() {
        TinyNet source = new TinyNet(new Rng(4));
        source.forward(Tensor.randn(new Rng(5), 8, 4));
        source.eval();
        TinyNet target = new TinyNet(new Rng(6));
        target.loadStateDict(source.stateDict());
        target.eval();
        Tensor x = Tensor.randn(new Rng(7), 3, 4);
        assertClose(source.forward(x), target.forward(x), 0);
    }

    @Test
    void strictLoadNamesMissingKeysAndChangesNothing() {
        TinyNet net = new TinyNet(new Rng(8));
        Map<String, Tensor> state = otherState();
        state.remove("norm.running_mean");
        state.remove("head.bias");
        String m = assertRejectedAndUnchanged(net, state, true).getMessage();
        assertTrue(m.contains("missing") && m.contains("norm.running_mean") && m.contains("head.bias"), m);
        assertRejectedAndUnchanged(net, state, true);
        assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state)); // strict is the default
    }

    @Test
    void strictLoadNamesUnexpectedKeysAndChangesNothing() {
        TinyNet net = new TinyNet(new Rng(9));
        Map<String, Tensor> state = otherState();
        state.put("decoder.weight", Tensor.zeros(2, 2));
        String m = assertRejectedAndUnchanged(net, state, true).getMessage();
        assertTrue(m.contains("unexpected") && m.contains("decoder.weight"), m);
    }

    @Test
    void misShapedEntriesAreNamedWithBothShapesAndChangeNothing() {
        TinyNet net = new TinyNet(new Rng(10));
        Map<String, Tensor> state = otherState();
        state.put("head.weight", Tensor.zeros(3, 2)); // transposed by mistake
        for (boolean strict : new boolean[] {true, false}) {
            String m = assertRejectedAndUnchanged(net, state, strict).getMessage();
            assertTrue(m.contains("head.weight") && m.contains("[3, 2]") && m.contains("[2, 3]"), m);
        }
        // same number of values, other shape: still rejected
        state.put("head.weight", Tensor.zeros(6));
        assertRejectedAndUnchanged(net, state, false);
    }

    @Test
    void allProblemsAreReportedTogether() {
        TinyNet net = new TinyNet(new Rng(11));
        Map<String, Tensor> state = otherState();
        state.remove("encoder.0.bias");
        state.put("extra", Tensor.zeros(1));
        state.put("norm.weight", Tensor.zeros(4));
        String m = assertRejectedAndUnchanged(net, state, true).getMessage();
        assertTrue(m.contains("encoder.0.bias") && m.contains("extra") && m.contains("norm.weight"), m);
        assertTrue(m.contains("TinyNet"), m);
    }

    @Test
    void nonStrictLoadSkipsMissingAndUnexpectedKeysAndLoadsTheRest() {
        TinyNet net = new TinyNet(new Rng(12));
        Tensor headBefore = net.head.weight.copy();
        Map<String, Tensor> state = otherState();
        state.remove("head.weight");
        state.put("lm_head.weight", Tensor.zeros(7, 3));
        net.loadStateDict(state, false);
        assertClose(headBefore, net.head.weight, 0);
        assertClose(state.get("head.bias"), net.head.bias, 0);
        assertClose(state.get("norm.running_var"), net.norm.runningVar, 0);
    }
}
