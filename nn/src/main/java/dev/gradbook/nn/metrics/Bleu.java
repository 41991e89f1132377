package dev.gradbook.nn.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU, the machine-translation score of Papineni, Roukos, Ward and Zhu (2002), "BLEU: a Method
 * for Automatic Evaluation of Machine Translation", ACL.
 *
 * <p>A candidate is compared with one or more reference texts by counting shared n-grams,
 * n = 1..4. Two ideas make the count fair:
 * <ul>
 *   <li><b>Clipped (modified) precision</b> (section 2.1): an n-gram of the candidate counts at most
 *       as often as it appears in the single reference that contains it most often, so "the the the
 *       the" cannot score by repeating a common word:
 *       <pre>  p_n = sum over candidates of sum_g min(count(g), max_ref count_ref(g))
 *            / sum over candidates of sum_g count(g)</pre></li>
 *   <li><b>Brevity penalty</b> (section 2.2.2): precision alone rewards short candidates, so with
 *       c the total candidate length and r the total of the reference lengths closest to each
 *       candidate (the shorter one on a tie),
 *       <pre>  BP = 1 if c > r, else exp(1 - r / c)</pre></li>
 * </ul>
 * and the score is the geometric mean of the precisions times the penalty (section 2.3):
 * <pre>  BLEU = BP * exp( sum_n w_n log p_n ),   w_n = 1/4</pre>
 * Corpus BLEU sums the clipped counts and lengths over all sentences before dividing, which is
 * what the paper defines; the BLEU of one sentence is the corpus BLEU of a corpus of one. If any
 * precision is zero, the score is 0 (no smoothing: say so when you report short sentences).
 *
 * <p>Texts are given as lists of tokens; how to tokenise (words, lower case or not) is the
 * caller's choice and changes the score, so report it together with the number.
 */
public final class Bleu {
    /** The usual maximum n-gram order. */
    public static final int MAX_ORDER = 4;

    private Bleu() {
    }

    /** BLEU-4 of one candidate against its references. */
    public static double sentence(List<List<String>> references, List<String> candidate) {
        return corpus(List.of(references), List.of(candidate));
    }

    /**
     * Corpus BLEU-4: {@code references.get(i)} are the references of {@code candidates.get(i)}.
     *
     * @throws IllegalArgumentException if the lists differ in length, a candidate has no reference,
     *                                  or the corpus is empty
     */
    public static double corpus(List<List<List<String>>> references, List<List<String>> candidates) {
        return corpus(references, candidates, MAX_ORDER);
    }

    /** Corpus BLEU with uniform weights {@code 1 / maxOrder} over n = 1..maxOrder. */
    public static double corpus(List<List<List<String>>> references, List<List<String>> candidates, int maxOrder) {
        check(references, candidates, maxOrder);
        long[] matched = new long[maxOrder];
        long[] total = new long[maxOrder];
        long candidateLength = 0;
        long referenceLength = 0;
        for (int i = 0; i < candidates.size(); i++) {
            List<String> candidate = candidates.get(i);
            List<List<String>> refs = references.get(i);
            for (int n = 1; n <= maxOrder; n++) {
                Map<List<String>, Integer> counts = ngrams(candidate, n);
                Map<List<String>, Integer> maxRef = maxReferenceCounts(refs, n);
                for (Map.Entry<List<String>, Integer> e : counts.entrySet()) {
                    matched[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                    total[n - 1] += e.getValue();
                }
            }
            candidateLength += candidate.size();
            referenceLength += closestLength(refs, candidate.size());
        }
        double logPrecision = 0;
        for (int n = 0; n < maxOrder; n++) {
            if (matched[n] == 0) {
                return 0.0;
            }
            logPrecision += Math.log((double) matched[n] / total[n]) / maxOrder;
        }
        return brevityPenalty(candidateLength, referenceLength) * Math.exp(logPrecision);
    }

    /** {@code BP = 1} if the candidates are longer than the references, else {@code exp(1 - r/c)}. */
    public static double brevityPenalty(long candidateLength, long referenceLength) {
        if (candidateLength > referenceLength) {
            return 1.0;
        }
        if (candidateLength == 0) {
            return 0.0;
        }
        return Math.exp(1.0 - (double) referenceLength / candidateLength);
    }

    /** Every n-gram of {@code tokens} with how often it occurs. */
    static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    /** For each n-gram, the largest number of times any single reference contains it (the clip). */
    private static Map<List<String>, Integer> maxReferenceCounts(List<List<String>> references, int n) {
        Map<List<String>, Integer> max = new HashMap<>();
        for (List<String> ref : references) {
            ngrams(ref, n).forEach((gram, count) -> max.merge(gram, count, Math::max));
        }
        return max;
    }

    /** The length of the reference closest to {@code length}; the shorter one on a tie. */
    private static int closestLength(List<List<String>> references, int length) {
        int best = references.get(0).size();
        for (List<String> ref : references) {
            int d = Math.abs(ref.size() - length);
            int bestD = Math.abs(best - length);
            if (d < bestD || (d == bestD && ref.size() < best)) {
                best = ref.size();
            }
        }
        return best;
    }

    private static void check(List<List<List<String>>> references, List<List<String>> candidates, int maxOrder) {
        if (maxOrder < 1) {
            throw new IllegalArgumentException("Bleu: maxOrder must be at least 1, got " + maxOrder);
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("Bleu: no candidates");
        }
        if (references.size() != candidates.size()) {
            throw new IllegalArgumentException("Bleu: " + candidates.size() + " candidates but "
                    + references.size() + " reference lists");
        }
        for (int i = 0; i < references.size(); i++) {
            if (references.get(i).isEmpty()) {
                throw new IllegalArgumentException("Bleu: candidate " + i + " has no reference");
            }
        }
    }
}
