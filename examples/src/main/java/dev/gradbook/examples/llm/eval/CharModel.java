package dev.gradbook.examples.llm.eval;

/**
 * A character language model as the evaluation sees it: a probability for every possible next
 * character, given all the text before a position. Count models and a neural model implement it,
 * so that every metric is computed the same way for each.
 */
public interface CharModel {
    String name();

    /** {@code p[i][c]}: the probability that {@code text[positions[i]] == c}, given {@code text[0 .. positions[i])}. */
    double[][] nextCharProbabilities(int[] text, int[] positions);
}
