package dev.gradbook.nn.data;

import dev.gradbook.core.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dividing {@code n} examples, by index, into the parts that model selection needs: a
 * train / validation / test split, or the folds of k-fold cross-validation.
 *
 * <p>Both shuffle first with a seeded {@link Rng}, so the same seed gives the same parts. They
 * return indices; {@link TensorDataset#subset(int[])} turns them into data sets.
 */
public final class Splits {
    private Splits() {
    }

    /** Indices of the training, validation and test examples; together they are {@code 0 .. n-1}. */
    public record Split(int[] train, int[] val, int[] test) {
    }

    /** One round of cross-validation: fit on {@code train}, score on {@code val}. */
    public record Fold(int[] train, int[] val) {
    }

    /**
     * Shuffles {@code 0 .. n-1} and cuts it into {@code round(n * trainFraction)} training
     * indices, {@code round(n * valFraction)} validation indices, and the rest for testing.
     */
    public static Split trainValTest(int n, double trainFraction, double valFraction, long seed) {
        if (n < 0 || !(trainFraction >= 0) || !(valFraction >= 0) || trainFraction + valFraction > 1 + 1e-9) {
            throw new IllegalArgumentException("Splits.trainValTest: need n >= 0 and non-negative fractions that sum "
                    + "to at most 1, got n=" + n + ", train=" + trainFraction + ", val=" + valFraction);
        }
        int nTrain = (int) Math.round(n * trainFraction);
        int nVal = Math.min((int) Math.round(n * valFraction), n - nTrain);
        int[] order = new Rng(seed).permutation(n);
        return new Split(Arrays.copyOfRange(order, 0, nTrain),
                Arrays.copyOfRange(order, nTrain, nTrain + nVal),
                Arrays.copyOfRange(order, nTrain + nVal, n));
    }

    /** A train / test split (the validation part is empty). */
    public static Split trainTest(int n, double trainFraction, long seed) {
        return trainValTest(n, trainFraction, 0, seed);
    }

    /**
     * K-fold cross-validation: shuffles {@code 0 .. n-1} and cuts it into {@code k} folds of
     * nearly equal size (the first {@code n % k} folds hold one extra index). Round {@code i}
     * validates on fold {@code i} and trains on the other {@code k - 1}, so every index is
     * validated on exactly once.
     */
    public static List<Fold> kFold(int n, int k, long seed) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("Splits.kFold: need 2 <= k <= n, got k=" + k + ", n=" + n);
        }
        int[] order = new Rng(seed).permutation(n);
        int[] bounds = new int[k + 1];
        for (int i = 0; i < k; i++) {
            bounds[i + 1] = bounds[i] + n / k + (i < n % k ? 1 : 0);
        }
        List<Fold> folds = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int[] val = Arrays.copyOfRange(order, bounds[i], bounds[i + 1]);
            int[] train = new int[n - val.length];
            System.arraycopy(order, 0, train, 0, bounds[i]);
            System.arraycopy(order, bounds[i + 1], train, bounds[i], n - bounds[i + 1]);
            folds.add(new Fold(train, val));
        }
        return folds;
    }
}
