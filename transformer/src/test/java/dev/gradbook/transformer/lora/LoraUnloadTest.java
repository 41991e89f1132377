package dev.gradbook.transformer.lora;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PEFT's workflow: target by name suffix, load the base after wrapping, merge and unload. */
class LoraUnloadTest {
    private static final GptConfig CONFIG = GptConfig.tiny(20);

    private static IntTensor ids() {
        return IntTensor.randint(new Rng(3), 0, 20, 2, 8);
    }

    /** Gives every adapter a non-zero B, as training would, so the update changes the function. */
    private static void train(Gpt gpt) {
        Rng rng = new Rng(9);
        try (var ignored = Autograd.noGrad()) {
            LoraAdapters.find(gpt).values().forEach(a -> a.loraB().copyInPlace(Tensor.randn(rng, a.loraB().shape())
                    .mul(0.1f)));
        }
    }

    @Test
    void targetsByNameSuffixAsPeftDoes() {
        Gpt gpt = new Gpt(CONFIG, new Rng(0));
        LoraReport report = Lora.apply(gpt, List.of("query", "value"), 4, 8f, 0f, new Rng(1));
        assertEquals(List.of("blocks.0.attn.query", "blocks.0.attn.value", "blocks.1.attn.query",
                "blocks.1.attn.value"), report.adapted());
        Gpt mlp = new Gpt(CONFIG, new Rng(0));
        assertEquals(List.of("blocks.0.mlp.fc", "blocks.1.mlp.fc"),
                Lora.apply(mlp, List.of("mlp.fc"), 4, 8f, 0f, new Rng(1)).adapted());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Lora.apply(new Gpt(CONFIG, new Rng(0)), List.of("c_attn"), 4, 8f, 0f, new Rng(1)));
        assertTrue(e.getMessage().contains("blocks.0.attn.query"), e.getMessage());   // lists the candidates
    }

    @Test
    void mergeAndUnloadGivesAPlainGptThatLoadsIntoANewOne() {
        Gpt gpt = new Gpt(CONFIG, new Rng(0));
        Lora.apply(gpt, List.of("query", "value", "fc"), 4, 8f, 0f, new Rng(1));
        train(gpt);
        Tensor adapted = gpt.forward(ids());

        Gpt plain = Lora.mergeAndUnload(gpt);
        assertTrue(LoraAdapters.find(plain).isEmpty());
        assertEquals(new Gpt(CONFIG, new Rng(5)).stateDict().keySet(), plain.stateDict().keySet());
        assertTrue(plain.namedParameters().values().stream().allMatch(Tensor::requiresGrad));
        TensorAssert.assertClose(adapted, plain.forward(ids()), 1e-5);

        Gpt fresh = new Gpt(CONFIG, new Rng(5));
        fresh.loadStateDict(plain.stateDict());
        TensorAssert.assertClose(adapted, fresh.forward(ids()), 1e-5);
        assertFalse(new Gpt(CONFIG, new Rng(0)).forward(ids()).allClose(adapted, 1e-4f, 1e-5f));  // LoRA mattered
    }

    @Test
    void aBaseLoadsIntoAModelThatAlreadyHasAdapters() {
        Gpt pretrained = new Gpt(CONFIG, new Rng(7));
        Gpt model = new Gpt(CONFIG, new Rng(8));                     // other weights
        Lora.apply(model, List.of("query", "value"), 4, 8f, 0f, new Rng(1));
        Map<String, Tensor> adapters = LoraAdapters.stateDict(model);
        float[] a0 = adapters.get("blocks.0.attn.query.lora_A").toArray();

        Lora.loadBase(model, pretrained.stateDict());
        TensorAssert.assertBitsEqual(pretrained.forward(ids()), model.forward(ids()));   // B = 0: the base itself
        assertEquals(a0.length, LoraAdapters.stateDict(model).get("blocks.0.attn.query.lora_A").numel());
        TensorAssert.assertBitsEqual(Tensor.wrap(a0, 4, 32), LoraAdapters.stateDict(model).get("blocks.0.attn.query.lora_A"));

        Map<String, Tensor> partial = new java.util.LinkedHashMap<>(pretrained.stateDict());
        partial.remove("lnF.weight");
        var e = assertThrows(IllegalArgumentException.class, () -> Lora.loadBase(model, partial));
        assertTrue(e.getMessage().contains("missing [lnF.weight]"), e.getMessage());
    }
}
