package dev.gradbook.examples.llm.align;

import dev.gradbook.core.Rng;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreferenceDataTest {
    /** An untrained model over "ab \n" writes many one-letter words: a judge of "a" against "b" rarely ties. */
    private static final CharTokenizer TOKENS = new CharTokenizer("ab \n");
    private static final LexiconJudge JUDGE = new LexiconJudge(Set.of("a"), Set.of("b"));
    private static final String CORPUS = "a b ab ba a b\nb a a b ".repeat(20);

    private static PreferenceData.Dataset collect(long seed) {
        Gpt policy = new Gpt(GptConfig.tiny(TOKENS.vocabSize()), new Rng(1));
        return new PreferenceData(12, 4, 8, 1f, 0.25, 5).collect(policy, TOKENS, CORPUS, JUDGE, new Rng(seed), n -> { });
    }

    @Test
    void pairsAreJudgedSplitAndSeeded() {
        PreferenceData.Dataset d = collect(7);
        assertEquals(9, d.train().size());
        assertEquals(3, d.heldOut().size());
        assertEquals(2 * d.prompts(), d.scores().length);
        assertEquals(d.prompts() - d.ties(), 12);
        List<PreferencePair> all = new ArrayList<>(d.train());
        all.addAll(d.heldOut());
        for (PreferencePair p : all) {
            assertEquals(JUDGE.score(p.chosen()), p.chosenScore());
            assertEquals(JUDGE.score(p.rejected()), p.rejectedScore());
            assertTrue(p.chosenScore() > p.rejectedScore());
            assertEquals(4, p.prompt().length());
            assertEquals(8, p.chosen().length());
            assertTrue(p.prompt().endsWith(" ") || p.prompt().endsWith("\n"), p.prompt());
        }
        assertEquals(all, concat(collect(7)), "same seed, same pairs");
        assertTrue(!all.equals(concat(collect(8))), "another seed, other pairs");
    }

    @Test
    void encodesPromptAndContinuationRowByRow() {
        PreferenceData.Dataset d = collect(7);
        PreferencePair first = d.train().get(0);
        PreferencePair.Batches b = PreferencePair.encode(d.train(), TOKENS);
        assertEquals(d.train().size(), b.chosen().size());
        int[] row = new int[12];
        System.arraycopy(b.chosen().tokens().data(), 0, row, 0, 12);
        assertEquals(first.prompt() + first.chosen(), TOKENS.decode(row));
        assertEquals(8.0, b.rejected().responseMask().narrow(0, 0, 1).sum().item());
    }

    @Test
    void badSettingsAreRejectedBeforeWork() {
        assertThrows(IllegalArgumentException.class, () -> new PreferenceData(10, 4, 8, 0f, 0.25, 5));
        assertThrows(IllegalArgumentException.class, () -> new PreferenceData(10, 4, 8, 1f, 1.0, 5));
        Gpt policy = new Gpt(GptConfig.tiny(TOKENS.vocabSize()), new Rng(1));   // context 16
        assertThrows(IllegalArgumentException.class, () -> new PreferenceData(10, 8, 9, 1f, 0.25, 5)
                .collect(policy, TOKENS, CORPUS, JUDGE, new Rng(1), n -> { }));
    }

    private static List<PreferencePair> concat(PreferenceData.Dataset d) {
        List<PreferencePair> all = new ArrayList<>(d.train());
        all.addAll(d.heldOut());
        return all;
    }
}
