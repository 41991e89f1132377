package dev.gradbook.transformer.retrieval;

import java.util.List;

/**
 * Recall@k for questions with one relevant document each: the fraction of questions whose
 * relevant document is among the first k retrieved (the usual measure of a retriever in
 * open-domain question answering, Karpukhin et al. 2020, section 5.1, "top-k retrieval accuracy").
 */
public final class RecallAtK {
    private RecallAtK() {
    }

    /** {@code ranked.get(i)} lists question i's retrieved documents, best first; {@code relevant[i]} is its answer. */
    public static double of(List<int[]> ranked, int[] relevant, int k) {
        if (ranked.size() != relevant.length || relevant.length == 0) {
            throw new IllegalArgumentException("RecallAtK: " + ranked.size() + " rankings for " + relevant.length
                    + " questions (need the same, non-zero number)");
        }
        int hits = 0;
        for (int i = 0; i < relevant.length; i++) {
            int[] r = ranked.get(i);
            for (int j = 0; j < Math.min(k, r.length); j++) {
                if (r[j] == relevant[i]) {
                    hits++;
                    break;
                }
            }
        }
        return (double) hits / relevant.length;
    }
}
