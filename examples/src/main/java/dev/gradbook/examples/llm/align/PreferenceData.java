package dev.gradbook.examples.llm.align;

import dev.gradbook.core.Rng;
import dev.gradbook.transformer.alignment.Continuations;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.Sampler;
import dev.gradbook.transformer.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Preference pairs collected the way InstructGPT collects them (Ouyang et al. 2022, section 3.4),
 * with the {@link LexiconJudge} in place of the human labellers:
 * <ol>
 *   <li>a prompt: {@code promptLength} characters of Tiny Shakespeare that end where a word
 *       starts (after a space or a newline), at a seeded random place;</li>
 *   <li>two continuations of {@code continuationLength} characters sampled from the policy at
 *       {@code temperature};</li>
 *   <li>the judge scores both; the higher is {@code chosen}, the lower {@code rejected}; equal
 *       scores (ties) are dropped, as labellers' ties are in Stiennon et al. (2020).</li>
 * </ol>
 * Prompts are drawn in batches of {@code batch} until {@code pairs} pairs are kept; the last
 * {@code heldOutFraction} of them are held out. The same seed gives the same pairs.
 *
 * <p>Why 64 characters: the judge needs opinion words to see, and short texts rarely hold one.
 * Measured on Tiny Shakespeare's own text (4,000 windows that start at a word, seed 0; the best a
 * base model's samples can look like), the judge's score is non-zero for 38% of 32-character
 * windows, 57% of 64-character ones and 66% of 96-character ones, and two random windows tie
 * 45%, 29% and 21% of the time. 64 characters keeps most pairs while leaving room for the prompt
 * in a 128-position context. A base model's samples hold fewer real words than the corpus, so
 * expect more ties than these (the {@link Dataset} counts them).
 *
 * @param pairs              pairs to keep (ties do not count)
 * @param promptLength       characters of each prompt
 * @param continuationLength characters of each continuation; prompt + continuation must fit the
 *                           policy's context
 * @param temperature        sampling temperature of the policy
 * @param heldOutFraction    the share of pairs held out, in (0, 1)
 * @param batch              prompts continued at once
 */
public record PreferenceData(int pairs, int promptLength, int continuationLength, float temperature,
                             double heldOutFraction, int batch) {
    /** Give up when this many times {@code pairs} prompts have not produced enough non-tied pairs. */
    private static final int MAX_PROMPTS_PER_PAIR = 20;

    public PreferenceData {
        if (pairs < 2 || promptLength < 1 || continuationLength < 1 || !(temperature > 0) || batch < 1
                || !(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("PreferenceData: needs pairs >= 2, promptLength >= 1, "
                    + "continuationLength >= 1, temperature > 0, heldOutFraction in (0, 1) and batch >= 1; got pairs="
                    + pairs + ", promptLength=" + promptLength + ", continuationLength=" + continuationLength
                    + ", temperature=" + temperature + ", heldOutFraction=" + heldOutFraction + ", batch=" + batch);
        }
    }

    /** 32-character prompts, 64-character continuations (about a dozen words) at temperature 1, a quarter held out. */
    public static PreferenceData defaults(int pairs) {
        return new PreferenceData(pairs, 32, 64, 1f, 0.25, 64);
    }

    /**
     * The collected pairs, split, with what it took to collect them.
     *
     * @param train    pairs to train on
     * @param heldOut  pairs to measure on
     * @param scores   the judge's score of every sampled continuation, ties' included
     * @param prompts  prompts sampled
     * @param ties     prompts whose two continuations scored the same (dropped)
     */
    public record Dataset(List<PreferencePair> train, List<PreferencePair> heldOut, int[] scores, int prompts, int ties) {
    }

    /**
     * Samples pairs from {@code policy}. {@code corpus} is the text prompts are cut from;
     * {@code progress} hears the number of pairs kept so far after each batch.
     */
    public Dataset collect(Gpt policy, Tokenizer tokenizer, String corpus, LexiconJudge judge, Rng rng,
                           IntConsumer progress) {
        if (promptLength + continuationLength > policy.config.blockSize()) {
            throw new IllegalArgumentException("PreferenceData: prompt " + promptLength + " + continuation "
                    + continuationLength + " characters exceed the policy's context of " + policy.config.blockSize());
        }
        List<PreferencePair> kept = new ArrayList<>();
        List<Integer> scores = new ArrayList<>();
        int prompts = 0;
        int ties = 0;
        while (kept.size() < pairs) {
            if (prompts >= MAX_PROMPTS_PER_PAIR * pairs) {
                throw new IllegalStateException("PreferenceData: only " + kept.size() + " of " + pairs + " pairs after "
                        + prompts + " prompts: the judge ties almost every pair (try longer continuations)");
            }
            List<String> texts = prompts(corpus, batch, promptLength, rng);
            int[][] ids = new int[2 * batch][];
            for (int i = 0; i < batch; i++) {
                ids[2 * i] = tokenizer.encode(texts.get(i));
                ids[2 * i + 1] = ids[2 * i];
            }
            int[][] continuations = Continuations.sample(policy, ids, continuationLength,
                    Sampler.temperature(temperature), rng);
            for (int i = 0; i < batch && kept.size() < pairs; i++) {
                String a = tokenizer.decode(continuations[2 * i]);
                String b = tokenizer.decode(continuations[2 * i + 1]);
                int sa = judge.score(a);
                int sb = judge.score(b);
                prompts++;
                scores.add(sa);
                scores.add(sb);
                if (sa == sb) {
                    ties++;
                } else {
                    kept.add(sa > sb ? new PreferencePair(texts.get(i), a, b, sa, sb)
                            : new PreferencePair(texts.get(i), b, a, sb, sa));
                }
            }
            progress.accept(kept.size());
        }
        int heldOut = Math.max(1, (int) Math.round(heldOutFraction * pairs));
        int train = pairs - heldOut;
        return new Dataset(List.copyOf(kept.subList(0, train)), List.copyOf(kept.subList(train, pairs)),
                scores.stream().mapToInt(Integer::intValue).toArray(), prompts, ties);
    }

    /**
     * {@code count} prompts of {@code length} characters from {@code corpus}, each ending where a
     * word starts: the character after the prompt is a letter and the prompt's last character a
     * space or a newline.
     */
    public static List<String> prompts(String corpus, int count, int length, Rng rng) {
        if (corpus.length() < length + 1) {
            throw new IllegalArgumentException("PreferenceData.prompts: the corpus has " + corpus.length()
                    + " characters, fewer than a prompt of " + length + " + 1");
        }
        List<String> out = new ArrayList<>();
        int tries = 0;
        while (out.size() < count) {
            if (++tries > 1000 * count) {
                throw new IllegalArgumentException("PreferenceData.prompts: the corpus has almost no word starts");
            }
            int end = length + rng.nextInt(corpus.length() - length);       // the prompt is [end - length, end)
            char last = corpus.charAt(end - 1);
            if ((last == ' ' || last == '\n') && Character.isLetter(corpus.charAt(end))) {
                out.add(corpus.substring(end - length, end));
            }
        }
        return out;
    }
}
