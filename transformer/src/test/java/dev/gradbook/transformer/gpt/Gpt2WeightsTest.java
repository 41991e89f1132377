package dev.gradbook.transformer.gpt;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.io.Safetensors;
import dev.gradbook.transformer.gpt.Gpt2Weights.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against PyTorch: the fixtures are written by {@code fixtures/make_gpt2_fixture.py} (kept in
 * the test resources), a plain-torch GPT-2 forward that follows Hugging Face's code and names.
 */
class Gpt2WeightsTest {
    private static final int HEADS = 4;

    @TempDir
    Path dir;

    @Test
    void huggingFaceWeightsGiveTorchsLogits() {
        Gpt gpt = Gpt2Weights.load(fixture("gpt2_hf.safetensors"), Layout.HUGGING_FACE, HEADS);
        assertEquals(GptConfig.tiny(50).withNHead(HEADS), gpt.config);
        Map<String, Tensor> expected = Safetensors.load(fixture("gpt2_expected.safetensors")).tensors();
        gpt.eval();
        Tensor logits = gpt.forward(expected.get("ids").toIntTensor());                     // (2, 7, 50)
        assertClose(expected.get("logits"), logits);
    }

    @Test
    void nanoGptsLayoutIsTheSameModelTransposed() {
        Map<String, Tensor> hf = Gpt2Weights.load(fixture("gpt2_hf.safetensors"), Layout.HUGGING_FACE, HEADS).stateDict();
        Map<String, Tensor> nano = Gpt2Weights.load(fixture("gpt2_nanogpt.safetensors"), Layout.NANOGPT, HEADS)
                .stateDict();
        assertEquals(hf.keySet(), nano.keySet());
        hf.forEach((name, t) -> TensorAssert.assertBitsEqual(t, nano.get(name)));
    }

    @Test
    void exportGivesBackTheFilesTensorForTensor() {
        for (Layout layout : Layout.values()) {
            Path file = fixture(layout == Layout.HUGGING_FACE ? "gpt2_hf.safetensors" : "gpt2_nanogpt.safetensors");
            Map<String, Tensor> original = Safetensors.load(file).tensors();
            Map<String, Tensor> exported = Gpt2Weights.fromGradbook(Gpt2Weights.load(file, layout, HEADS), layout);
            original.forEach((name, t) -> {
                if (!name.endsWith("attn.bias") && !name.endsWith("attn.masked_bias")) {   // buffers, not weights
                    TensorAssert.assertBitsEqual(t, exported.get(name));
                }
            });
            TensorAssert.assertBitsEqual(original.get("transformer.wte.weight"), exported.get("lm_head.weight"));
        }
    }

    /**
     * The reverse direction against PyTorch: a Gradbook model exported in Hugging Face's layout
     * gives, in the script's torch forward, the logits Gradbook computes. The committed export must
     * equal what this code exports today.
     */
    @Test
    void aGradbookExportGivesTheSameLogitsInTorch() throws Exception {
        Gpt gpt = new Gpt(GptConfig.tiny(50).withNHead(HEADS), new Rng(99));
        Rng noise = new Rng(100);
        try (var ignored = Autograd.noGrad()) {                   // weights far from GPT-2's small init
            for (Tensor p : gpt.parameters()) {
                p.copyInPlace(p.add(Tensor.normal(noise, 0f, 0.2f, p.shape())));
            }
        }
        Map<String, Tensor> exported = Gpt2Weights.fromGradbook(gpt, Layout.HUGGING_FACE);
        if (Boolean.getBoolean("gradbook.writeFixtures")) {
            Gpt2Weights.save(Path.of("src/test/resources/fixtures/gradbook_export.safetensors"), gpt,
                    Layout.HUGGING_FACE);
        }
        Map<String, Tensor> committed = Safetensors.load(fixture("gradbook_export.safetensors")).tensors();
        assertEquals(committed.keySet(), exported.keySet());
        committed.forEach((name, t) -> TensorAssert.assertBitsEqual(t, exported.get(name)));

        Map<String, Tensor> expected = Safetensors.load(fixture("gpt2_expected.safetensors")).tensors();
        gpt.eval();
        assertClose(expected.get("export_logits"), gpt.forward(expected.get("ids").toIntTensor()));
    }

    /** Hugging Face files may carry integer buffers (I64 position_ids, integer masks): they are not weights. */
    @Test
    void integerBuffersInTheFileAreLeftOut() {
        Map<String, Tensor> floats = new LinkedHashMap<>(Safetensors.load(fixture("gpt2_hf.safetensors")).tensors());
        Map<String, IntTensor> ints = new LinkedHashMap<>();
        ints.put("transformer.position_ids", IntTensor.arange(16).reshape(1, 16));
        ints.put("transformer.h.0.attn.bias", IntTensor.zeros(1, 1, 16, 16));
        floats.remove("transformer.h.0.attn.bias");
        Path file = dir.resolve("with-ints.safetensors");
        Safetensors.save(file, new Safetensors.Contents(floats, ints, Map.of()));
        Map<String, Tensor> expected = Gpt2Weights.load(fixture("gpt2_hf.safetensors"), Layout.HUGGING_FACE, HEADS)
                .stateDict();
        Map<String, Tensor> loaded = Gpt2Weights.load(file, Layout.HUGGING_FACE, HEADS).stateDict();
        expected.forEach((name, t) -> TensorAssert.assertBitsEqual(t, loaded.get(name)));
    }

    @Test
    void filesWithoutThePrefixOrFromTorchCompileLoadToo() {
        Map<String, Tensor> hf = Safetensors.load(fixture("gpt2_hf.safetensors")).tensors();
        Map<String, Tensor> bare = new LinkedHashMap<>();
        Map<String, Tensor> compiled = new LinkedHashMap<>();
        hf.forEach((name, t) -> {
            bare.put(name.substring("transformer.".length()), t);
            compiled.put("_orig_mod." + name, t);
        });
        Map<String, Tensor> expected = Gpt2Weights.toGradbook(hf, Layout.HUGGING_FACE);
        assertEquals(expected.keySet(), Gpt2Weights.toGradbook(bare, Layout.HUGGING_FACE).keySet());
        assertEquals(expected.keySet(), Gpt2Weights.toGradbook(compiled, Layout.HUGGING_FACE).keySet());
    }

    @Test
    void anUntiedHeadTravelsAndTheWrongLayoutIsNamed() {
        Gpt untied = new Gpt(GptConfig.tiny(20).withTiedHead(false), new Rng(3));
        Path file = dir.resolve("untied.safetensors");
        Gpt2Weights.save(file, untied, Layout.NANOGPT);
        Gpt back = Gpt2Weights.load(file, Layout.NANOGPT, 2);
        assertFalse(back.config.tiedHead());
        untied.stateDict().forEach((name, t) -> TensorAssert.assertBitsEqual(t, back.stateDict().get(name)));

        var e = assertThrows(IllegalArgumentException.class, () -> Gpt2Weights.load(file, Layout.HUGGING_FACE, 2));
        assertTrue(e.getMessage().contains("c_attn.weight is [96, 32], but in the HUGGING_FACE layout it is [32, 96]"),
                e.getMessage());
        Map<String, Tensor> extra = new LinkedHashMap<>(Safetensors.load(file).tensors());
        extra.put("transformer.h.0.attn.rotary.cos", Tensor.zeros(2));
        e = assertThrows(IllegalArgumentException.class, () -> Gpt2Weights.load(extra, Layout.NANOGPT, 2));
        assertTrue(e.getMessage().contains("not part of GPT-2: [h.0.attn.rotary.cos]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gpt2Weights.fromGradbook(new Gpt(GptConfig.tiny(20).withRotary(true), new Rng(4)), Layout.NANOGPT));
        assertTrue(e.getMessage().contains("RoPE"), e.getMessage());
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        float worst = 0;
        for (int i = 0; i < expected.numel(); i++) {
            worst = Math.max(worst, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(worst < 1e-5f, "max |logit difference| " + worst);
    }

    private static Path fixture(String name) {
        try {
            Path p = Path.of(Gpt2WeightsTest.class.getResource("/fixtures/" + name).toURI());
            assertTrue(Files.isRegularFile(p));
            return p;
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture " + name + ": run make_gpt2_fixture.py", e);
        }
    }
}
