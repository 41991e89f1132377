package dev.gradbook.transformer.gpt;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.io.ConfigJson;
import dev.gradbook.transformer.ModelFile;
import dev.gradbook.transformer.attention.KvCache;
import dev.gradbook.transformer.fused.Fused;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GPT with a sliding window and scaled RoPE: config, files written before these existed, generation. */
class LongContextGptTest {
    @TempDir
    Path dir;

    private static IntTensor ids(int[] tokens) {
        return IntTensor.of(tokens, 1, tokens.length);
    }

    @Test
    void aFileSavedBeforeTheLongContextFieldsStillLoads() throws Exception {
        // written by main at fcc7a2c, whose GptConfig had nine components
        Path file = Path.of(getClass().getResource("/fixtures/gpt_before_long_context.safetensors").toURI());
        ModelFile.Loaded<Gpt> loaded = Gpt.loadWithTokenizer(file);
        GptConfig c = loaded.model().config;
        assertEquals(new GptConfig(6, 8, 1, 2, 8, 0f, true, true, true), c);
        assertEquals(0, c.slidingWindow());
        assertEquals(1f, c.ropeScale());
        assertEquals(10000, c.ropeBase());
        Gpt gpt = loaded.model();
        gpt.eval();
        Tensor logits = gpt.forward(ids(new int[] {0, 1, 2, 3, 4, 5, 0, 1}));
        // the last position's logits as that version computed them
        TensorAssert.assertValues(logits.narrow(1, 7, 1), 1e-6,
                -0.044726644f, 0.15003641f, 0.053259514f, 0.05391932f, 0.043237265f, -0.04919424f);
    }

    @Test
    void theNewFieldsRoundTripThroughAFileAndOnlyThoseMayBeMissing() {
        GptConfig config = GptConfig.tiny(12).withRotary(true).withSlidingWindow(5).withRopeScale(2f)
                .withRopeBase(40000.5);
        Gpt gpt = new Gpt(config, new Rng(1));
        Path file = dir.resolve("windowed.safetensors");
        gpt.save(file);
        assertEquals(config, Gpt.load(file).config);
        String withoutHeads = ConfigJson.write(config).replace("\"nHead\":2,", "");
        var e = assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.read(withoutHeads, GptConfig.class, "f", GptConfig.ADDED_LATER));
        assertTrue(e.getMessage().contains("'nHead'"), e.getMessage());
    }

    @Test
    void badLongContextSettingsAreRefused() {
        GptConfig tiny = GptConfig.tiny(10);
        assertThrows(IllegalArgumentException.class, () -> tiny.withSlidingWindow(-1));
        assertThrows(IllegalArgumentException.class, () -> tiny.withRopeScale(2f));            // no RoPE to scale
        assertThrows(IllegalArgumentException.class, () -> tiny.withRotary(true).withRopeScale(0.5f));
        assertThrows(IllegalArgumentException.class, () -> tiny.withRotary(true).withRopeBase(1));
    }

    @Test
    void slidingWindowGenerationWithARollingCacheEqualsRecomputation() {
        GptConfig config = GptConfig.tiny(20).withRotary(true).withBlockSize(40).withSlidingWindow(5);
        Gpt gpt = new Gpt(config, new Rng(2));
        gpt.eval();
        try (var ignored = Autograd.noGrad()) {
            int[] seq = {3, 1, 4};
            KvCache cache = gpt.newKvCache();
            Tensor logits = gpt.forward(ids(seq), cache);
            for (int step = 0; step < 20; step++) {
                int next = logits.select(1, logits.size(1) - 1).argmax();
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = next;
                logits = gpt.forward(ids(new int[] {next}), cache);
                Tensor full = gpt.forward(ids(seq));             // every position again, windowed mask
                TensorAssert.assertClose(full.narrow(1, seq.length - 1, 1), logits, 1e-4);
            }
            assertEquals(23, cache.length());
            assertEquals(5, cache.size());
            // 2 (k, v) * 2 layers * 32 channels * 5 positions * 4 bytes
            assertEquals(2L * 2 * 32 * 5 * 4, cache.bytes());
        }
        // and through generate(), past the 40-position context so the window slides too
        for (Sampler sampler : new Sampler[] {Sampler.greedy(), Sampler.topK(1.0f, 5)}) {
            GenerationConfig g = GenerationConfig.sampled(50, sampler);
            assertArrayEquals(gpt.generate(new int[] {1, 2}, g.withKvCache(false), new Rng(3)),
                    gpt.generate(new int[] {1, 2}, g, new Rng(3)));
        }
    }

    @Test
    void aWindowedModelWithTheFusedTwinsHasTheSameLossAndGradients() {
        GptConfig config = GptConfig.tiny(15).withRotary(true).withSlidingWindow(4).withRopeScale(2f);
        Gpt readable = new Gpt(config, new Rng(4));
        Gpt fused = new Gpt(config, new Rng(4));
        Fused.apply(fused);
        IntTensor x = IntTensor.randint(new Rng(5), 0, 15, 3, 16);
        IntTensor y = IntTensor.randint(new Rng(6), 0, 15, 3, 16);
        Tensor la = readable.loss(x, y);
        Tensor lb = fused.loss(x, y);
        assertEquals(la.item(), lb.item(), 1e-5);
        la.backward();
        lb.backward();
        var pa = readable.namedParameters();
        var pb = fused.namedParameters();
        for (String name : new String[] {"blocks.0.attn.query.weight", "blocks.1.attn.key.weight", "wte.weight"}) {
            TensorAssert.assertClose(pa.get(name).grad(), pb.get(name).grad(), 1e-5);
        }
    }

    @Test
    void aWindowChangesTheModelOnlyBeyondTheWindow() {
        GptConfig full = GptConfig.tiny(15).withRotary(true);
        Gpt a = new Gpt(full, new Rng(7));
        Gpt b = new Gpt(full.withSlidingWindow(6), new Rng(7));
        a.eval();
        b.eval();
        Tensor la = a.forward(IntTensor.randint(new Rng(8), 0, 15, 1, 16));
        Tensor lb = b.forward(IntTensor.randint(new Rng(8), 0, 15, 1, 16));
        TensorAssert.assertBitsEqual(la.narrow(1, 0, 6), lb.narrow(1, 0, 6));   // the first 6 see the same keys
        assertTrue(Math.abs(la.get(0, 15, 0) - lb.get(0, 15, 0)) > 1e-7);
    }

    @Test
    void theDefaultsAreThoseOfAModelWithoutTheFields() {
        assertEquals(Map.of("slidingWindow", 0, "ropeScale", 1f, "ropeBase", 10000.0), GptConfig.ADDED_LATER);
        GptConfig nine = new GptConfig(5, 4, 1, 1, 4, 0f, true, true, true);
        assertEquals(nine, nine.withSlidingWindow(0).withRopeScale(1f).withRopeBase(10000));
    }
}
