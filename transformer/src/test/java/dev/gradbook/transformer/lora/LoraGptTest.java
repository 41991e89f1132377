package dev.gradbook.transformer.lora;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.quant.MemoryReport;
import dev.gradbook.transformer.quant.QLora;
import dev.gradbook.transformer.quant.Quantize;
import dev.gradbook.transformer.quant.QuantizedLinear;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoRA and QLoRA on the attention projections of a real (tiny) GPT, chosen by name. */
class LoraGptTest {
    private static final String ATTENTION_QV = "blocks\\.\\d+\\.attn\\.(query|value)";

    private static IntTensor ids() {
        return IntTensor.randint(new Rng(3), 0, 20, 2, 8);
    }

    @Test
    void loraOnQueryAndValueProjections() {
        Gpt gpt = new Gpt(GptConfig.tiny(20), new Rng(0)); // 2 layers, 32 channels
        long before = gpt.parameterCount();
        float[] logits = gpt.forward(ids()).toArray();

        LoraReport report = Lora.apply(gpt, ATTENTION_QV, 4, 8f, 0f, new Rng(1));
        assertEquals(List.of("blocks.0.attn.query", "blocks.0.attn.value", "blocks.1.attn.query",
                "blocks.1.attn.value"), report.adapted());
        long lora = 4 * 4 * (32 + 32); // 4 layers of r (in + out)
        assertEquals(lora, report.trainableParameters());
        assertEquals(before + lora, report.totalParameters());
        assertTrue(report.trainableFraction() < 0.05, report.toString());

        assertArrayEquals(logits, gpt.forward(ids()).toArray(), 0f); // B = 0: the same model
        gpt.forward(ids()).square().mean().backward();
        for (Map.Entry<String, Tensor> e : gpt.namedParameters().entrySet()) {
            boolean isLora = e.getKey().matches(ATTENTION_QV + "\\.lora_[AB]");
            assertEquals(isLora, e.getValue().grad() != null, e.getKey());
        }
    }

    @Test
    void qloraOnAFourBitGpt() {
        Gpt gpt = new Gpt(GptConfig.tiny(20), new Rng(0));
        MemoryReport memory = MemoryReport.of(gpt);
        // per block: query, key, value, proj 32x32 and the MLP's 32x128 and 128x32 (the head is tied)
        assertEquals(12, memory.matrices());
        assertEquals(2 * (4 * 32 * 32 + 2 * 32 * 128), memory.weights());
        assertEquals(4.5, memory.bitsPerWeight(memory.nf4Bytes()), 1e-9);

        List<String> quantized = Quantize.linears(gpt, ".*", QuantizedLinear.Format.NF4);
        assertEquals(12, quantized.size());
        LoraReport report = QLora.apply(gpt, ATTENTION_QV, 4, 8f, 0f, new Rng(1));
        assertEquals(4, report.adapted().size());
        assertEquals(4 * 4 * 64, report.trainableParameters());
        Tensor logits = gpt.forward(ids());
        assertShape(logits, 2, 8, 20);
        logits.square().mean().backward();
        for (Map.Entry<String, Tensor> e : gpt.namedParameters().entrySet()) {
            assertEquals(e.getKey().contains("lora_"), e.getValue().grad() != null, e.getKey());
        }
    }
}
