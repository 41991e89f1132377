package dev.gradbook.transformer.quant;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.transformer.lora.LoraAdapters;
import dev.gradbook.transformer.lora.LoraLinear;
import dev.gradbook.transformer.lora.LoraReport;
import dev.gradbook.transformer.lora.LowRankAdapter;
import dev.gradbook.transformer.lora.TinyNet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QLoraTest {
    private static final Tensor X = Tensor.randn(new Rng(42), 4, TinyNet.IN);

    @Test
    void quantizedLinearIsALinearWithTheDequantizedWeight() {
        Linear linear = new Linear(70, 6, new Rng(0));
        for (QuantizedLinear.Format format : QuantizedLinear.Format.values()) {
            QuantizedLinear q = QuantizedLinear.of(linear, format);
            Linear reference = new Linear(70, 6, new Rng(9));
            try (var noGrad = Autograd.noGrad()) {
                reference.weight.copyInPlace(q.weight.dequantize());
                reference.bias.copyInPlace(linear.bias);
            }
            Tensor x = Tensor.randn(new Rng(1), 3, 70).requiresGrad(true);
            Tensor y = q.forward(x);
            assertClose(reference.forward(x), y, 1e-6);
            // close to the original float32 layer too: int8 within 1%, nf4 within 10% of the output scale
            double tol = format == QuantizedLinear.Format.INT8 ? 0.01 : 0.1;
            assertClose(linear.forward(x), y, tol);
            y.sum().backward();
            assertNotNull(x.grad());
            assertNull(q.bias.grad());
        }
    }

    @Test
    void qloraForwardEqualsDequantizedLinearPlusLora() {
        Linear linear = new Linear(70, 6, new Rng(0));
        QuantizedLinear q = QuantizedLinear.of(linear, QuantizedLinear.Format.NF4);
        QLoraLinear qlora = new QLoraLinear(q, 3, 6f, 0f, new Rng(1));
        try (var noGrad = Autograd.noGrad()) {
            qlora.loraB().copyInPlace(Tensor.randn(new Rng(2), 6, 3));
        }

        Linear dequantized = new Linear(70, 6, new Rng(9));
        try (var noGrad = Autograd.noGrad()) {
            dequantized.weight.copyInPlace(q.weight.dequantize());
            dequantized.bias.copyInPlace(linear.bias);
        }
        LoraLinear lora = new LoraLinear(dequantized, 3, 6f, 0f, new Rng(1)); // same seed: same A
        assertClose(qlora.loraA(), lora.loraA(), 0);
        try (var noGrad = Autograd.noGrad()) {
            lora.loraB().copyInPlace(qlora.loraB());
        }

        Tensor x = Tensor.randn(new Rng(3), 5, 70);
        assertClose(lora.forward(x), qlora.forward(x), 1e-5);
    }

    @Test
    void onlyAAndBReceiveGradients() {
        TinyNet net = new TinyNet(new Rng(0));
        Tensor fp32 = net.forward(X);
        assertEquals(List.of("block.fc1", "block.fc2", "head"),
                Quantize.linears(net, ".*", QuantizedLinear.Format.NF4));
        Tensor quantized = net.forward(X);
        LoraReport report = QLora.apply(net, "block\\.fc.", 2, 4f, 0f, new Rng(1));
        assertEquals(List.of("block.fc1", "block.fc2"), report.adapted());
        assertInstanceOf(QLoraLinear.class, net.block.fc1);
        // zero B: the adapted model is exactly the quantised one
        assertClose(quantized, net.forward(X), 0);
        assertTrue(!fp32.allClose(quantized, 1e-4f, 1e-4f), "the weights were really quantised");

        long lora = 2 * (5 + 7) + 2 * (7 + 7);
        assertEquals(lora, report.trainableParameters());
        assertEquals(129 + lora, report.totalParameters()); // quantised weights counted by shape

        for (LowRankAdapter a : LoraAdapters.find(net).values()) {
            try (var noGrad = Autograd.noGrad()) {
                a.loraB().copyInPlace(Tensor.randn(new Rng(4), a.loraB().shape()));
            }
        }
        net.forward(X).square().sum().backward();
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            boolean isLora = e.getKey().endsWith(".lora_A") || e.getKey().endsWith(".lora_B");
            assertEquals(isLora, e.getValue().grad() != null, e.getKey());
        }
    }

    @Test
    void memoryReportByHand() {
        TinyNet net = new TinyNet(new Rng(0));
        MemoryReport report = MemoryReport.of(net);
        // fc1 7x5, fc2 7x7, head 3x7
        assertEquals(3, report.matrices());
        assertEquals(35 + 49 + 21, report.weights());
        assertEquals(4 * 105, report.fp32Bytes());
        assertEquals(105 + 4 * (7 + 7 + 3), report.int8Bytes());
        assertEquals((18 + 4) + (25 + 4) + (11 + 4), report.nf4Bytes());
        // quantising changes nothing in the report: it counts by shape
        Quantize.linears(net, "block.*", QuantizedLinear.Format.INT8);
        assertEquals(report, MemoryReport.of(net));

        MemoryReport big = MemoryReport.of(new Linear(1024, 1024, new Rng(0)));
        assertEquals(32.0, big.bitsPerWeight(big.fp32Bytes()));
        assertEquals(8.03125, big.bitsPerWeight(big.int8Bytes()), 1e-9);
        assertEquals(4.5, big.bitsPerWeight(big.nf4Bytes()), 1e-9);
    }
}
