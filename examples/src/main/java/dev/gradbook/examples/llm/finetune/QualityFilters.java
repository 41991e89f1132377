package dev.gradbook.examples.llm.finetune;

import dev.gradbook.examples.llm.finetune.SyntheticTasks.Example;
import dev.gradbook.transformer.data.MinHash;

import java.util.ArrayList;
import java.util.List;

/**
 * The cleaning steps of an instruction data set, each a plain rule: keep texts of a sane length,
 * keep printable ASCII, keep answers that verify, and drop near-duplicates found by MinHash.
 */
public final class QualityFilters {
    private QualityFilters() {
    }

    /** A near-duplicate that was dropped, with the example it repeats. */
    public record Pair(Example kept, Example dropped, double estimated, double exact) {
    }

    /** Keeps examples with a non-empty response and a whole text of at most {@code maxChars}. */
    public static List<Example> length(List<Example> in, int maxChars) {
        return in.stream().filter(e -> !e.response().isEmpty() && e.text().length() <= maxChars).toList();
    }

    /** Keeps examples whose characters are all printable ASCII (space to tilde, and newline). */
    public static List<Example> charset(List<Example> in) {
        return in.stream().filter(e -> e.text().chars().allMatch(c -> c == '\n' || (c >= 32 && c < 127))).toList();
    }

    /** Keeps examples whose response equals the answer recomputed from the input. */
    public static List<Example> verified(List<Example> in) {
        return in.stream().filter(e -> SyntheticTasks.answer(e.task(), e.input()).equals(e.response())).toList();
    }

    /**
     * Greedy near-duplicate removal: an example is dropped when its estimated Jaccard similarity to
     * an example already kept is at least {@code threshold}. All pairs are compared (fine for a few
     * thousand examples; locality-sensitive hashing with bands avoids that at scale).
     */
    public static List<Example> deduplicate(List<Example> in, MinHash minHash, double threshold, List<Pair> caught) {
        List<Example> kept = new ArrayList<>();
        List<long[]> signatures = new ArrayList<>();
        for (Example e : in) {
            long[] sig = minHash.signature(e.text());
            int match = -1;
            double best = 0;
            for (int j = 0; j < kept.size() && match < 0; j++) {
                double est = MinHash.estimate(sig, signatures.get(j));
                if (est >= threshold) {
                    match = j;
                    best = est;
                }
            }
            if (match < 0) {
                kept.add(e);
                signatures.add(sig);
            } else {
                Example k = kept.get(match);
                caught.add(new Pair(k, e, best, MinHash.jaccard(minHash.shingles(k.text()), minHash.shingles(e.text()))));
            }
        }
        return kept;
    }
}
