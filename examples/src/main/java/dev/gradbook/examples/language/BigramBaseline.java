package dev.gradbook.examples.language;

import dev.gradbook.core.IntTensor;

/**
 * The simplest language model, as the baseline a transformer must beat: the next character
 * depends only on the current one, with probabilities counted on the training text (Jurafsky and
 * Martin, "Speech and Language Processing", 3rd ed. draft, section 3.1) and add-one smoothing
 * (section 3.5.1) so that a pair never seen in training does not cost infinity:
 * <pre>
 *   p(b | a) = (count(a b) + 1) / (count(a) + V)
 * </pre>
 * Its cross-entropy on the validation text is what one character of context buys; everything a
 * GPT gets below it comes from looking further back.
 */
final class BigramBaseline {
    private final double[][] logProb;

    /** Counts every adjacent pair of {@code train} over a vocabulary of {@code vocab} ids. */
    BigramBaseline(IntTensor train, int vocab) {
        long[][] counts = new long[vocab][vocab];
        int[] ids = train.data();
        for (int i = 0; i + 1 < ids.length; i++) {
            counts[ids[i]][ids[i + 1]]++;
        }
        logProb = new double[vocab][vocab];
        for (int a = 0; a < vocab; a++) {
            long total = 0;
            for (long c : counts[a]) {
                total += c;
            }
            for (int b = 0; b < vocab; b++) {
                logProb[a][b] = Math.log((counts[a][b] + 1.0) / (total + vocab));
            }
        }
    }

    /** The mean of {@code -ln p(x[t+1] | x[t])} over {@code text}, in nats per character. */
    double crossEntropy(IntTensor text) {
        int[] ids = text.data();
        double sum = 0;
        for (int i = 0; i + 1 < ids.length; i++) {
            sum -= logProb[ids[i]][ids[i + 1]];
        }
        return sum / (ids.length - 1);
    }
}
