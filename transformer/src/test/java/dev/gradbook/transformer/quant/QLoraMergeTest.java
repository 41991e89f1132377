package dev.gradbook.transformer.quant;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.transformer.lora.LoraAdapters;
import dev.gradbook.transformer.lora.TinyNet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stored memory, gradients of QLoRA's factors, and merging a QLoRA model back into float32. */
class QLoraMergeTest {
    private static final Tensor X = Tensor.randn(new Rng(42), 4, TinyNet.IN);

    @Test
    void storedBytesCountWhatTheLayersHold() {
        TinyNet net = new TinyNet(new Rng(0));
        assertEquals(4 * (35 + 49 + 21), MemoryReport.storedBytes(net));
        Quantize.linears(net, "block.*", QuantizedLinear.Format.INT8);
        // fc1 7x5 and fc2 7x7 in int8 with 7 float32 row scales each; the head stays float32
        assertEquals((35 + 28) + (49 + 28) + 4 * 21, MemoryReport.storedBytes(net));
        Quantize.linears(net, "head", QuantizedLinear.Format.NF4);
        assertEquals((35 + 28) + (49 + 28) + (11 + 4), MemoryReport.storedBytes(net));
    }

    @Test
    void gradientsOfAAndBThroughAFourBitBaseAreCorrect() {
        QuantizedLinear base = QuantizedLinear.of(new Linear(9, 4, new Rng(0)), QuantizedLinear.Format.NF4);
        QLoraLinear qlora = new QLoraLinear(base, 2, 4f, 0f, new Rng(1));
        try (var ignored = Autograd.noGrad()) {
            qlora.loraB().copyInPlace(Tensor.randn(new Rng(2), 4, 2));
        }
        Tensor x = Tensor.randn(new Rng(3), 3, 9).requiresGrad(true);
        GradCheck.Report report = GradCheck.check(in -> qlora.forward(in[0]).tanh(), x, qlora.loraA(), qlora.loraB());
        assertTrue(report.passed(), report.toString());
    }

    @Test
    void dequantizeAndMergeGivesAPlainFloatModelWithTheSameOutputs() {
        TinyNet net = new TinyNet(new Rng(0));
        Quantize.linears(net, ".*", QuantizedLinear.Format.NF4_DOUBLE);
        // by name suffix, as PEFT's target_modules
        assertEquals(List.of("block.fc1", "block.fc2"),
                QLora.apply(net, List.of("fc1", "fc2"), 2, 4f, 0f, new Rng(1)).adapted());
        Rng rng = new Rng(5);
        try (var ignored = Autograd.noGrad()) {
            LoraAdapters.find(net).values().forEach(a -> a.loraB().copyInPlace(Tensor.randn(rng, a.loraB().shape())));
        }
        Tensor adapted = net.forward(X);

        QLora.dequantizeAndMerge(net);
        assertInstanceOf(Linear.class, net.block.fc1);
        assertInstanceOf(Linear.class, net.block.fc2);
        assertInstanceOf(Linear.class, net.head);
        assertTrue(LoraAdapters.find(net).isEmpty());
        assertEquals(new TinyNet(new Rng(9)).stateDict().keySet(), net.stateDict().keySet());
        assertEquals(net.parameterCount(), net.trainableParameterCount());
        assertClose(adapted, net.forward(X), 1e-5);

        TinyNet fresh = new TinyNet(new Rng(9));
        fresh.loadStateDict(net.stateDict());
        assertClose(adapted, fresh.forward(X), 1e-5);
    }
}
