package dev.gradbook.nn.metrics;

import dev.gradbook.core.Tensor;

/**
 * The Inception Score of generated samples (Salimans et al., "Improved Techniques for Training
 * GANs", NeurIPS 2016, section 4), from a classifier's predicted class probabilities
 * {@code p(y | x)} for each sample:
 * <pre>
 *   IS = exp( E_x[ KL( p(y | x) || p(y) ) ] ),    p(y) = E_x[ p(y | x) ]
 * </pre>
 * High when each sample is classified confidently (low-entropy {@code p(y|x)}) and the samples
 * spread over the classes (high-entropy {@code p(y)}); between 1 and the number of classes K.
 * The paper's classifier is Inception-v3 on ImageNet; for digits any good digit classifier
 * plays its role, so the numbers compare models judged by the same classifier, nothing more.
 */
public final class InceptionScore {
    private InceptionScore() {
    }

    /** IS of rows of probabilities {@code (N, K)} (each row sums to 1). */
    public static double of(Tensor probabilities) {
        if (probabilities.dim() != 2 || probabilities.size(0) == 0) {
            throw new IllegalArgumentException("InceptionScore: expects probabilities (N, K) with N > 0, got "
                    + java.util.Arrays.toString(probabilities.shape()));
        }
        int n = probabilities.size(0);
        int k = probabilities.size(1);
        float[] p = probabilities.data();
        double[] marginal = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                marginal[j] += p[i * k + j] / (double) n;
            }
        }
        double meanKl = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double pij = p[i * k + j];
                if (pij > 0) {
                    meanKl += pij * (Math.log(pij) - Math.log(marginal[j])) / n;
                }
            }
        }
        return Math.exp(meanKl);
    }
}
