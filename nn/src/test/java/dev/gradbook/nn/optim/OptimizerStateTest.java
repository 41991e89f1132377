package dev.gradbook.nn.optim;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.gradbook.core.testing.TensorAssert.assertBitsEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saving and restoring optimizer state resumes a run bit for bit; untouched parameters stay untouched. */
class OptimizerStateTest {
    record Kind(String name, Function<Map<String, Tensor>, Optimizer> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> optimizers() {
        return Stream.of(
                new Kind("SGD momentum dampening", ps -> new SGD(ps, SGD.Config.defaults().withLr(0.05f).withMomentum(0.9f).withDampening(0.2f).withWeightDecay(0.01f))),
                new Kind("SGD nesterov", ps -> new SGD(ps, SGD.Config.defaults().withLr(0.05f).withMomentum(0.9f).withNesterov(true))),
                new Kind("RMSprop momentum", ps -> new RMSprop(ps, RMSprop.Config.defaults().withLr(0.01f).withAlpha(0.9f).withWeightDecay(0.01f).withMomentum(0.5f))),
                new Kind("Adagrad", ps -> new Adagrad(ps, Adagrad.Config.defaults().withLr(0.1f).withLrDecay(0.01f))),
                new Kind("Adam amsgrad", ps -> new Adam(ps, Adam.Config.defaults().withLr(0.01f).withBetas(0.9f, 0.99f).withWeightDecay(0.01f).withAmsgrad(true))),
                new Kind("AdamW", ps -> new AdamW(ps, 0.01f)),
                new Kind("LAMB", ps -> new LAMB(ps, 0.01f)));
    }

    /** Two parameters of different shapes, from a fixed seed. */
    private static Map<String, Tensor> parameters() {
        Rng rng = new Rng(11);
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("weight", Tensor.randn(rng, 3, 4).requiresGrad(true));
        ps.put("bias", Tensor.randn(rng, 4).requiresGrad(true));
        return ps;
    }

    private static Map<String, Tensor> copyOf(Map<String, Tensor> tensors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    private static Optimizer.State copyOf(Optimizer.State state) {
        return new Optimizer.State(state.kind(), state.step(), state.learningRate(), copyOf(state.slots()));
    }

    /** One step on a loss whose gradient depends on the parameters: sum(tanh(x W + b)^2) for a fixed x. */
    private static void step(Optimizer opt, Map<String, Tensor> ps) {
        Tensor x = Tensor.of(new float[][] {{0.5f, -1f, 2f}, {1.5f, 0.2f, -0.3f}});
        opt.zeroGrad();
        x.matmul(ps.get("weight")).add(ps.get("bias")).tanh().square().sum().backward();
        opt.step();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumingFromAStateDictGivesIdenticalBits(Kind kind) {
        Map<String, Tensor> ps = parameters();
        Optimizer original = kind.make().apply(ps);
        for (int i = 0; i < 3; i++) {
            step(original, ps);
        }
        Optimizer.State savedState = copyOf(original.stateDict());   // what a checkpoint would hold
        Map<String, Tensor> savedParams = copyOf(ps);
        for (int i = 0; i < 2; i++) {
            step(original, ps);
        }

        Map<String, Tensor> resumedParams = copyOf(savedParams);
        resumedParams.values().forEach(t -> t.requiresGrad(true));
        Optimizer resumed = kind.make().apply(resumedParams);
        resumed.loadStateDict(savedState);
        assertEquals(3, resumed.steps());
        for (int i = 0; i < 2; i++) {
            step(resumed, resumedParams);
        }
        for (String name : ps.keySet()) {
            assertBitsEqual(ps.get(name), resumedParams.get(name));
        }
        assertEquals(original.stateDict().slots().keySet(), resumed.stateDict().slots().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void parametersWithoutGradientsAreNotTouched(Kind kind) {
        Tensor used = Tensor.vector(1f, 2f).requiresGrad(true);
        Tensor unused = Tensor.vector(3f, 4f).requiresGrad(true);
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("used", used);
        ps.put("unused", unused);
        Optimizer opt = kind.make().apply(ps);
        used.square().sum().backward();
        opt.step();
        assertArrayEquals(new float[] {3f, 4f}, unused.data());
        assertTrue(used.data()[0] < 1f && used.data()[1] < 2f, "the used parameter moved downhill");
    }

    @Test
    void loadingStateForAnotherShapeIsAClearError() {
        Map<String, Tensor> ps = parameters();
        Adam adam = new Adam(ps, 0.01f);
        step(adam, ps);
        Map<String, Tensor> slots = copyOf(adam.stateDict().slots());
        slots.put("exp_avg.bias", Tensor.zeros(5));
        Optimizer.State state = new Optimizer.State("Adam", 1, 0.01f, slots);
        var e = assertThrows(IllegalArgumentException.class, () -> new Adam(parameters(), 0.01f).loadStateDict(state));
        assertTrue(e.getMessage().contains("exp_avg.bias"), e.getMessage());
    }
}
