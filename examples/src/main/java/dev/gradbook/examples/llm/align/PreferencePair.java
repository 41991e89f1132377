package dev.gradbook.examples.llm.align;

import dev.gradbook.transformer.alignment.ResponseBatch;
import dev.gradbook.transformer.tokenizer.Tokenizer;

import java.util.List;

/**
 * One recorded preference: two continuations of the same prompt, the one the judge scored
 * higher ({@code chosen}, the paper's {@code y_w}) and the other ({@code rejected}, {@code y_l}).
 * The texts are the continuations alone, without the prompt.
 */
public record PreferencePair(String prompt, String chosen, String rejected, int chosenScore, int rejectedScore) {
    public PreferencePair {
        if (chosenScore <= rejectedScore) {
            throw new IllegalArgumentException("PreferencePair: the chosen continuation must score higher, got "
                    + chosenScore + " <= " + rejectedScore);
        }
    }

    /** The chosen and rejected sides of some pairs as token batches, row {@code i} from pair {@code i}. */
    public record Batches(ResponseBatch chosen, ResponseBatch rejected) {
    }

    /** Encodes {@code pairs} with {@code tokenizer}: prompt + chosen and prompt + rejected, row by row. */
    public static Batches encode(List<PreferencePair> pairs, Tokenizer tokenizer) {
        int n = pairs.size();
        int[][] prompts = new int[n][];
        int[][] chosen = new int[n][];
        int[][] rejected = new int[n][];
        for (int i = 0; i < n; i++) {
            prompts[i] = tokenizer.encode(pairs.get(i).prompt());
            chosen[i] = tokenizer.encode(pairs.get(i).chosen());
            rejected[i] = tokenizer.encode(pairs.get(i).rejected());
        }
        return new Batches(ResponseBatch.of(prompts, chosen), ResponseBatch.of(prompts, rejected));
    }
}
