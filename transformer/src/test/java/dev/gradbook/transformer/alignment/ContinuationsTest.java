package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Rng;
import dev.gradbook.transformer.gpt.GenerationConfig;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.gpt.Sampler;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContinuationsTest {
    private final Gpt model = new Gpt(GptConfig.tiny(7), new Rng(3));

    @Test
    void oneRowEqualsGptGenerateWithTheSameSeed() {
        int[] prompt = {1, 4, 2};
        Sampler sampler = Sampler.temperature(1f);
        int[] generated = model.generate(prompt, GenerationConfig.sampled(9, sampler), new Rng(11));
        int[][] batch = Continuations.sample(model, new int[][] {prompt}, 9, sampler, new Rng(11));
        assertArrayEquals(Arrays.copyOfRange(generated, 3, 12), batch[0]);
    }

    @Test
    void eachRowOfABatchIsItsOwnGreedyContinuation() {
        int[][] prompts = {{1, 4, 2}, {6, 0, 5}, {3, 3, 3}};
        int[][] batch = Continuations.sample(model, prompts, 8, Sampler.greedy(), new Rng(0));
        for (int i = 0; i < prompts.length; i++) {
            int[] alone = model.generate(prompts[i], GenerationConfig.greedy(8), new Rng(0));
            assertArrayEquals(Arrays.copyOfRange(alone, 3, 11), batch[i], "row " + i);
        }
    }

    @Test
    void rejectsRaggedPromptsAndOverlongContinuations() {
        assertThrows(IllegalArgumentException.class,
                () -> Continuations.sample(model, new int[][] {{1, 2}, {1}}, 3, Sampler.greedy(), new Rng(0)));
        assertThrows(IllegalArgumentException.class,
                () -> Continuations.sample(model, new int[][] {{1, 2}}, 15, Sampler.greedy(), new Rng(0)));
    }
}
