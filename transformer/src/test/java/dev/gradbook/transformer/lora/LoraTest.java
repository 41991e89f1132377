package dev.gradbook.transformer.lora;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoraTest {
    private static final Tensor X = Tensor.randn(new Rng(42), 4, TinyNet.IN);

    /** A TinyNet with LoRA on block.fc1 and block.fc2, B randomised so that the adapters matter. */
    private static TinyNet adapted(long baseSeed, long loraSeed) {
        TinyNet net = new TinyNet(new Rng(baseSeed));
        Lora.apply(net, "block\\.fc.", 2, 4f, 0f, new Rng(loraSeed));
        Rng rng = new Rng(loraSeed + 100);
        for (LowRankAdapter a : LoraAdapters.find(net).values()) {
            try (var noGrad = Autograd.noGrad()) {
                a.loraB().copyInPlace(Tensor.randn(rng, a.loraB().shape()));
            }
        }
        return net;
    }

    @Test
    void aFreshLoraModelEqualsItsBaseExactly() {
        TinyNet net = new TinyNet(new Rng(0));
        float[] before = net.forward(X).toArray();
        Lora.apply(net, name -> true, 2, 16f, 0f, new Rng(1));
        assertArrayEquals(before, net.forward(X).toArray(), 0f);
    }

    @Test
    void reportCountsTrainableAndTotalParameters() {
        TinyNet net = new TinyNet(new Rng(0));
        assertEquals(42 + 49 + 14 + 24, net.parameterCount());
        LoraReport report = Lora.apply(net, "block\\.fc.", 2, 4f, 0f, new Rng(1));
        assertEquals(List.of("block.fc1", "block.fc2"), report.adapted());
        long lora = 2 * (5 + 7) + 2 * (7 + 7);
        assertEquals(lora, report.trainableParameters());
        assertEquals(129 + lora, report.totalParameters());
        assertEquals(Set.of("block.fc1.lora_A", "block.fc1.lora_B", "block.fc2.lora_A", "block.fc2.lora_B"),
                net.trainableParameters().keySet());
        assertInstanceOf(LoraLinear.class, net.block.fc1);
        assertInstanceOf(Linear.class, net.head);
        assertTrue(report.toString().contains("52 of 181"), report.toString());
    }

    @Test
    void afterBackwardOnlyAAndBHaveGradients() {
        TinyNet net = adapted(0, 1);
        net.forward(X).square().sum().backward();
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            boolean isLora = e.getKey().endsWith(".lora_A") || e.getKey().endsWith(".lora_B");
            if (isLora) {
                assertNotNull(e.getValue().grad(), e.getKey());
            } else {
                assertNull(e.getValue().grad(), e.getKey());
            }
        }
    }

    @Test
    void nameMatchingIsExactAndAnEmptyMatchIsAnError() {
        TinyNet net = new TinyNet(new Rng(0));
        assertEquals(List.of("head"), Lora.apply(net, "head", 1, 1f, 0f, new Rng(1)).adapted());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lora.apply(net, "fc1", 1, 1f, 0f, new Rng(1))); // the full name is block.fc1
        assertTrue(e.getMessage().contains("block.fc1"), e.getMessage());
        // applying again with a catch-all does not wrap the wrapped Linear (head.base)
        LoraReport again = Lora.apply(net, name -> true, 1, 1f, 0f, new Rng(2));
        assertEquals(List.of("block.fc1", "block.fc2"), again.adapted());
        assertSame(net.head, net.children().get("head"));
        // and the first adapter stays trainable
        assertEquals(Set.of("head.lora_A", "head.lora_B", "block.fc1.lora_A", "block.fc1.lora_B",
                "block.fc2.lora_A", "block.fc2.lora_B"), net.trainableParameters().keySet());
    }

    @Test
    void mergeAllAndUnmergeAll() {
        TinyNet net = adapted(0, 1);
        Tensor w1 = ((LoraLinear) net.block.fc1).base.weight.copy();
        Tensor y = net.forward(X);
        Lora.mergeAll(net);
        assertClose(y, net.forward(X), 1e-5);
        Lora.unmergeAll(net);
        assertClose(w1, ((LoraLinear) net.block.fc1).base.weight, 1e-6);
    }

    @Test
    void adaptersSaveAndLoad(@TempDir Path dir) {
        TinyNet trained = adapted(0, 1);
        Path file = dir.resolve("adapter.safetensors");
        LoraAdapters.save(trained, file);
        Safetensors.Contents saved = Safetensors.load(file);
        assertEquals(Set.of("block.fc1.lora_A", "block.fc1.lora_B", "block.fc2.lora_A", "block.fc2.lora_B"),
                saved.tensors().keySet());
        assertEquals("4.0", saved.metadata().get("block.fc1.alpha"));

        TinyNet fresh = adapted(0, 7); // same base, different adapters
        assertTrue(!fresh.forward(X).allClose(trained.forward(X), 1e-4f, 1e-4f));
        LoraAdapters.load(fresh, file);
        assertArrayEquals(trained.forward(X).toArray(), fresh.forward(X).toArray(), 0f);

        TinyNet other = new TinyNet(new Rng(0));
        Lora.apply(other, "block\\.fc.", 2, 8f, 0f, new Rng(1)); // alpha differs
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraAdapters.load(other, file));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
        TinyNet fewer = new TinyNet(new Rng(0));
        Lora.apply(fewer, "block\\.fc1", 2, 4f, 0f, new Rng(1));
        e = assertThrows(IllegalArgumentException.class, () -> LoraAdapters.load(fewer, file));
        assertTrue(e.getMessage().contains("block.fc2.lora_A"), e.getMessage());
    }
}
