package dev.gradbook.transformer.gpt;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.transformer.attention.KvCache;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationTest {

    private static IntTensor ids(int[] tokens) {
        return IntTensor.of(tokens, 1, tokens.length);
    }

    @Test
    void cachedLogitsEqualFullRecomputation() {
        for (GptConfig config : new GptConfig[] {GptConfig.tiny(20), GptConfig.tiny(20).withRotary(true)}) {
            Gpt gpt = new Gpt(config, new Rng(1));
            gpt.eval();
            try (var ignored = Autograd.noGrad()) {
                int[] seq = {3, 1, 4, 1, 5};
                KvCache cache = new KvCache(config.nLayer());
                Tensor logits = gpt.forward(ids(seq), cache);                    // the prompt at once
                TensorAssert.assertClose(gpt.forward(ids(seq)), logits, 1e-4);
                for (int step = 0; step < 8; step++) {
                    int next = logits.select(1, logits.size(1) - 1).argmax();
                    seq = Arrays.copyOf(seq, seq.length + 1);
                    seq[seq.length - 1] = next;
                    logits = gpt.forward(ids(new int[] {next}), cache);          // one position
                    Tensor full = gpt.forward(ids(seq));                          // everything again
                    TensorAssert.assertClose(full.narrow(1, seq.length - 1, 1), logits, 1e-4);
                }
                assertEquals(13, cache.length());
            }
        }
    }

    @Test
    void generationIsTheSameWithAndWithoutTheCache() {
        Gpt gpt = new Gpt(GptConfig.tiny(20), new Rng(2));
        int[] prompt = {1, 2, 3};
        // 30 new tokens run past the 16-position context, so the window slides
        for (Sampler sampler : new Sampler[] {Sampler.greedy(), Sampler.topK(1.0f, 5), Sampler.topP(0.8f, 0.9f)}) {
            GenerationConfig config = GenerationConfig.sampled(30, sampler);
            int[] cached = gpt.generate(prompt, config, new Rng(3));
            int[] recomputed = gpt.generate(prompt, config.withKvCache(false), new Rng(3));
            assertArrayEquals(recomputed, cached, sampler.toString());
            assertEquals(33, cached.length);
            assertArrayEquals(prompt, Arrays.copyOf(cached, 3));
        }
        assertTrue(gpt.isTraining(), "generate restores the training mode");
    }

    @Test
    void theSameSeedGivesTheSameText() {
        Gpt gpt = new Gpt(GptConfig.tiny(20), new Rng(4));
        GenerationConfig config = GenerationConfig.sampled(12, Sampler.temperature(1.5f));
        assertArrayEquals(gpt.generate(new int[] {5}, config, new Rng(9)), gpt.generate(new int[] {5}, config, new Rng(9)));
    }

    @Test
    void stopsAtTheStopTokenOrWhenThePredicateSaysSo() {
        Gpt gpt = new Gpt(GptConfig.tiny(20), new Rng(5));
        int[] free = gpt.generate(new int[] {1}, GenerationConfig.greedy(10), new Rng(0));
        int stop = free[4];                     // the 4th generated token
        int firstAt = 1;
        while (free[firstAt] != stop) {
            firstAt++;
        }
        int[] stopped = gpt.generate(new int[] {1}, GenerationConfig.greedy(10).withStopToken(stop), new Rng(0));
        assertArrayEquals(Arrays.copyOf(free, firstAt + 1), stopped);
        int[] byLength = gpt.generate(new int[] {1}, GenerationConfig.greedy(10).withStopWhen(s -> s.length == 3),
                new Rng(0));
        assertArrayEquals(Arrays.copyOf(free, 3), byLength);
        assertEquals(1, gpt.generate(new int[] {1}, GenerationConfig.greedy(0), new Rng(0)).length);
    }

    @Test
    void longPromptsAreCutToTheContext() {
        Gpt gpt = new Gpt(GptConfig.tiny(20), new Rng(6));
        int[] prompt = new int[40];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = i % 20;
        }
        int[] out = gpt.generate(prompt, GenerationConfig.greedy(3), new Rng(0));
        int[] tail = gpt.generate(Arrays.copyOfRange(prompt, 24, 40), GenerationConfig.greedy(3), new Rng(0));
        assertArrayEquals(Arrays.copyOfRange(tail, 16, 19), Arrays.copyOfRange(out, 40, 43));
    }
}
