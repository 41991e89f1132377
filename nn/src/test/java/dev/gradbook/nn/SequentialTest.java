package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sequential and MLP: chaining, structure, and swapping a layer for an adapter. */
class SequentialTest {

    /** An adapter in the manner of LoRA: the wrapped layer's output plus a learned per-feature shift. */
    static final class Shifted extends Layer {
        final Linear base;
        final Tensor shift;

        Shifted(Linear base) {
            this.base = child("base", base);
            this.shift = parameter("shift", Tensor.full(0.5f, base.outFeatures));
        }

        @Override
        public Tensor forward(Tensor x) {
            return base.forward(x).add(shift);
        }
    }

    /** A module, not a Layer: has no single-input forward. */
    static final class NotALayer extends Module {
    }

    @Test
    void appliesTheLayersInOrder() {
        Rng rng = new Rng(1);
        Linear first = new Linear(3, 4, rng);
        Linear second = new Linear(4, 2, rng);
        Sequential seq = new Sequential(first, new Tanh(), second);
        Tensor x = Tensor.randn(rng, 5, 3);
        assertClose(second.forward(first.forward(x).tanh()), seq.forward(x), 0);
        assertEquals(3, seq.size());
        assertSame(second, seq.get(2));
        assertEquals(List.of("0", "1", "2"), List.copyOf(seq.children().keySet()));
        assertSame(x, new Sequential().forward(x));
        assertEquals(List.of("0", "1"), List.copyOf(new Sequential(List.of(new ReLU(), new Identity())).children().keySet()));
    }

    @Test
    void mlpPutsActivationsAndDropoutBetweenLinearsButNotAfterTheLast() {
        MLP mlp = new MLP(new int[] {4, 8, 6, 2}, ReLU::new, 0.2f, new Rng(2));
        List<Class<?>> kinds = mlp.children().values().stream().<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(Linear.class, ReLU.class, Dropout.class, Linear.class, ReLU.class, Dropout.class,
                Linear.class), kinds);
        assertEquals((4 * 8 + 8) + (8 * 6 + 6) + (6 * 2 + 2), mlp.parameterCount());
        assertEquals(0.2f, ((Dropout) mlp.get(2)).p);
        Linear last = (Linear) mlp.get(6);
        assertEquals(6, last.inFeatures);
        assertEquals(2, last.outFeatures);

        MLP plain = new MLP(new int[] {3, 5, 2}, GELU::new, new Rng(3));
        assertEquals(3, plain.size());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(plain.namedParameters().keySet()));
    }

    @Test
    void mlpComputesTheChainByHand() {
        MLP mlp = new MLP(new int[] {3, 4, 2}, Sigmoid::new, new Rng(4));
        Linear a = (Linear) mlp.get(0);
        Linear b = (Linear) mlp.get(2);
        Tensor x = Tensor.randn(new Rng(5), 2, 3);
        float[] expected = new float[4];
        for (int r = 0; r < 2; r++) {
            double[] h = new double[4];
            for (int j = 0; j < 4; j++) {
                double s = a.bias.get(j);
                for (int k = 0; k < 3; k++) {
                    s += a.weight.get(j, k) * x.get(r, k);
                }
                h[j] = 1 / (1 + Math.exp(-s));
            }
            for (int j = 0; j < 2; j++) {
                double s = b.bias.get(j);
                for (int k = 0; k < 4; k++) {
                    s += b.weight.get(j, k) * h[k];
                }
                expected[r * 2 + j] = (float) s;
            }
        }
        assertClose(Tensor.wrap(expected, 2, 2), mlp.forward(x), 1e-5);
    }

    @Test
    void mlpNeedsTwoSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MLP(new int[] {5}, ReLU::new, new Rng(0)));
        assertTrue(e.getMessage().contains("MLP") && e.getMessage().contains("[5]"), e.getMessage());
    }

    @Test
    void anAdapterTakesALayersPlaceAndForwardUsesIt() {
        Rng rng = new Rng(6);
        Sequential seq = new Sequential(new Linear(3, 4, rng), new ReLU(), new Linear(4, 2, rng));
        Linear original = (Linear) seq.get(2);
        Tensor x = Tensor.randn(rng, 5, 3);
        Tensor before = seq.forward(x);

        seq.replaceChild("2", new Shifted(original));
        assertInstanceOf(Shifted.class, seq.get(2));
        assertInstanceOf(Shifted.class, seq.children().get("2"));
        assertClose(before.add(0.5f), seq.forward(x), 1e-6);
        assertEquals(List.of("0.weight", "0.bias", "2.shift", "2.base.weight", "2.base.bias"),
                List.copyOf(seq.namedParameters().keySet()));
        assertSame(original.weight, seq.namedParameters().get("2.base.weight"));
        assertTrue(seq.toString().contains("  (2): Shifted()\n    (base): Linear(in=4, out=2)\n"), seq.toString());
    }

    @Test
    void replacingWithANonLayerOrAnUnknownNameFailsAndChangesNothing() {
        Rng rng = new Rng(7);
        Sequential seq = new Sequential(new Linear(3, 4, rng), new ReLU());
        Layer relu = seq.get(1);
        IllegalArgumentException notLayer = assertThrows(IllegalArgumentException.class,
                () -> seq.replaceChild("1", new NotALayer()));
        assertTrue(notLayer.getMessage().contains("'1'") && notLayer.getMessage().contains("NotALayer"),
                notLayer.getMessage());
        assertSame(relu, seq.get(1));
        assertSame(relu, seq.children().get("1"));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> seq.replaceChild("5", new ReLU()));
        assertTrue(unknown.getMessage().contains("'5'") && unknown.getMessage().contains("[0, 1]"), unknown.getMessage());
    }

    @Test
    void aModuleThatDoesNotSupportReplacementSaysSo() {
        TinyNet net = new TinyNet(new Rng(8));
        Linear head = net.head;
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> net.replaceChild("head", new Shifted(head)));
        assertTrue(e.getMessage().contains("TinyNet") && e.getMessage().contains("'head'"), e.getMessage());
        assertSame(head, net.children().get("head"));
        // the Sequential inside it does support it, and the whole model sees the change
        net.encoder.replaceChild("1", new Tanh());
        assertInstanceOf(Tanh.class, net.namedModules().get("encoder.1"));
        Tensor x = Tensor.randn(new Rng(9), 4, 4);
        Tensor hidden = net.encoder.get(2).forward(net.encoder.get(0).forward(x).tanh());
        assertClose(net.head.forward(net.norm.forward(hidden)), net.forward(x), 1e-6);
    }
}
