package dev.gradbook.examples.llm.eval;

/**
 * An n-gram character model from counts with add-one (Laplace) smoothing:
 * {@code p(c | h) = (count(h c) + 1) / (count(h) + V)} where {@code h} is the previous
 * {@code order - 1} characters. Order 0 is the uniform model (every character 1/V, perplexity
 * exactly V), order 1 the unigram model, order 2 the bigram model.
 */
public final class CountModel implements CharModel {
    private final int order;
    private final int vocab;
    private final double[][] counts;   // [history][next]
    private final double[] totals;     // [history]

    public CountModel(int order, int vocab, int[] train) {
        if (order < 0 || order > 2) {
            throw new IllegalArgumentException("CountModel: order must be 0, 1 or 2, got " + order);
        }
        this.order = order;
        this.vocab = vocab;
        int histories = order == 2 ? vocab : 1;
        this.counts = new double[histories][vocab];
        this.totals = new double[histories];
        if (order > 0) {
            for (int i = 1; i < train.length; i++) {
                int h = order == 2 ? train[i - 1] : 0;
                counts[h][train[i]]++;
                totals[h]++;
            }
        }
    }

    @Override
    public String name() {
        return switch (order) {
            case 0 -> "uniform";
            case 1 -> "unigram counts";
            default -> "bigram counts";
        };
    }

    @Override
    public double[][] nextCharProbabilities(int[] text, int[] positions) {
        double[][] out = new double[positions.length][vocab];
        for (int i = 0; i < positions.length; i++) {
            int h = order == 2 ? text[positions[i] - 1] : 0;
            for (int c = 0; c < vocab; c++) {
                out[i][c] = (counts[h][c] + 1) / (totals[h] + vocab);
            }
        }
        return out;
    }
}
