package dev.gradbook.nn;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module tree: names, parameter bookkeeping, freezing, modes and printing. */
class ModuleTest {

    /** A language-model head tied to its embedding, as in GPT-2: one tensor under two names. */
    static final class TiedLm extends Module {
        final Embedding wte;
        final Tensor head;

        TiedLm(Rng rng) {
            wte = child("wte", new Embedding(6, 4, rng));
            head = parameter("head", wte.weight);
        }

        /** ids (T) -> logits (T, 6) */
        Tensor forward(IntTensor ids) {
            return wte.forward(ids).matmulT(head);
        }
    }

    /** Registers whatever names it is given, to exercise the checks. */
    static final class Registrar extends Module {
        void addParameter(String name) {
            parameter(name, Tensor.zeros(1));
        }

        void addBuffer(String name) {
            buffer(name, Tensor.zeros(1));
        }

        void addChild(String name) {
            child(name, new Identity());
        }
    }

    static void backwardOnce(TinyNet net) {
        net.forward(Tensor.randn(new Rng(9), 6, 4)).sum().backward();
    }

    @Test
    void parameterNamesArePathsThroughTheTree() {
        TinyNet net = new TinyNet(new Rng(1));
        assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
                "norm.weight", "norm.bias", "head.weight", "head.bias"), List.copyOf(net.namedParameters().keySet()));
        assertSame(net.encoder.get(2), net.namedModules().get("encoder.2"));
        assertEquals(List.of("", "encoder", "encoder.0", "encoder.1", "encoder.2", "norm", "head"),
                List.copyOf(net.namedModules().keySet()));
        assertEquals(List.of("encoder", "norm", "head"), List.copyOf(net.children().keySet()));
        assertSame(((Linear) net.encoder.get(0)).weight, net.namedParameters().get("encoder.0.weight"));
        assertTrue(net.namedParameters().values().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void countsParameterValues() {
        TinyNet net = new TinyNet(new Rng(2));
        assertEquals(TinyNet.PARAMETER_COUNT, net.parameterCount());
        assertEquals(TinyNet.PARAMETER_COUNT, net.trainableParameterCount());
        assertEquals(8, net.parameters().size());
    }

    @Test
    void aTiedTensorIsOneParameterUnderTwoNamesAndGetsBothGradients() {
        TiedLm lm = new TiedLm(new Rng(3));
        assertEquals(List.of("head", "wte.weight"), List.copyOf(lm.namedParameters().keySet()));
        assertEquals(1, lm.parameters().size());
        assertSame(lm.wte.weight, lm.parameters().get(0));
        assertEquals(24, lm.parameterCount());
        assertEquals(24, lm.trainableParameterCount());
        // the gradient through both uses (lookup and output projection) must add up
        IntTensor ids = IntTensor.vector(1, 4, 1);
        assertGradients("tied embedding and head", in -> lm.forward(ids), lm.wte.weight);
    }

    @Test
    void frozenParametersGetNoGradientAndUnfreezingRestoresIt() {
        TinyNet net = new TinyNet(new Rng(4));
        backwardOnce(net);
        assertNotNull(net.encoder.get(0).namedParameters().get("weight").grad());
        net.zeroGrad();

        net.encoder.freeze();
        assertEquals(TinyNet.PARAMETER_COUNT - 43, net.trainableParameterCount());
        assertEquals(TinyNet.PARAMETER_COUNT, net.parameterCount());
        assertEquals(List.of("norm.weight", "norm.bias", "head.weight", "head.bias"),
                List.copyOf(net.trainableParameters().keySet()));
        backwardOnce(net);
        net.encoder.namedParameters().forEach((name, p) -> assertNull(p.grad(), "frozen " + name + " got a gradient"));
        assertNotNull(net.head.weight.grad());
        assertNotNull(net.norm.weight.grad());

        net.unfreeze();
        net.zeroGrad();
        assertEquals(TinyNet.PARAMETER_COUNT, net.trainableParameterCount());
        backwardOnce(net);
        net.namedParameters().forEach((name, p) -> assertNotNull(p.grad(), name + " has no gradient after unfreeze"));
    }

    @Test
    void freezingDropsAGradientAlreadyThere() {
        TinyNet net = new TinyNet(new Rng(5));
        backwardOnce(net);
        net.head.freeze();
        assertNull(net.head.weight.grad());
        assertFalse(net.head.weight.requiresGrad());
        assertNotNull(net.norm.weight.grad());
    }

    @Test
    void zeroGradForgetsEveryGradient() {
        TinyNet net = new TinyNet(new Rng(6));
        backwardOnce(net);
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() != null));
        net.zeroGrad();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void trainAndEvalReachEveryModuleBelow() {
        TinyNet net = new TinyNet(new Rng(7));
        assertTrue(net.namedModules().values().stream().allMatch(Module::isTraining));
        assertSame(net, net.eval());
        net.namedModules().forEach((name, m) -> assertFalse(m.isTraining(), "'" + name + "' still training"));
        net.encoder.train();
        assertTrue(net.encoder.get(1).isTraining());
        assertFalse(net.isTraining());
        assertFalse(net.norm.isTraining());
        net.train();
        assertTrue(net.namedModules().values().stream().allMatch(Module::isTraining));
    }

    @Test
    void evalMakesAModelWithDropoutAndBatchNormDeterministic() {
        Rng rng = new Rng(8);
        Sequential model = new Sequential(new Linear(4, 6, rng), new BatchNorm1d(6), new ReLU(),
                new Dropout(0.5f, rng.split()), new Linear(6, 2, rng));
        Tensor x = Tensor.randn(rng, 5, 4);
        assertFalse(model.forward(x).allClose(model.forward(x), 0f, 0f), "dropout should differ between calls");
        model.eval();
        Tensor first = model.forward(x);
        assertTrue(first.allClose(model.forward(x), 0f, 0f));
        // and an example alone gives what it gave inside the batch
        assertClose(first.narrow(0, 2, 1), model.forward(x.narrow(0, 2, 1)), 1e-6);
    }

    @Test
    void toStringShowsTheTreeWithNamesAndTheCount() {
        String expected = """
                TinyNet()  [57 parameters]
                  (encoder): Sequential()
                    (0): Linear(in=4, out=5)
                    (1): ReLU()
                    (2): Linear(in=5, out=3)
                  (norm): BatchNorm1d(3, eps=1.0E-5, momentum=0.1)
                  (head): Linear(in=3, out=2)
                """;
        assertEquals(expected, new TinyNet(new Rng(9)).toString());
        // thousands are grouped: 784*256 + 256 + 256*10 + 10
        String big = new MLP(new int[] {784, 256, 10}, ReLU::new, new Rng(10)).toString();
        assertTrue(big.startsWith("MLP()  [203,530 parameters]\n"), big);
    }

    @Test
    void invalidAndDuplicateNamesAreRejected() {
        Registrar r = new Registrar();
        r.addParameter("w");
        r.addBuffer("stats");
        r.addChild("sub");
        for (String bad : List.of("", "a.b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.addChild(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        for (String taken : List.of("w", "stats", "sub")) {
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> r.addParameter(taken));
            assertTrue(p.getMessage().contains("'" + taken + "'") && p.getMessage().contains("already"), p.getMessage());
            assertThrows(IllegalArgumentException.class, () -> r.addBuffer(taken));
            assertThrows(IllegalArgumentException.class, () -> r.addChild(taken));
        }
        assertEquals(List.of("w", "stats"), List.copyOf(r.stateDict().keySet()));
        assertEquals(Map.of("sub", r.children().get("sub")), Map.copyOf(r.children()));
    }
}
