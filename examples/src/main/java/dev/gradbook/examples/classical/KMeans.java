package dev.gradbook.examples.classical;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.data.OneHot;

import java.util.Arrays;

/**
 * k-means clustering from scratch on tensors: Lloyd's algorithm, k-means++ and random
 * seeding, restarts, and purity against known labels. The {@code k-means} chapter
 * ({@link KMeansChapter}) explains the method.
 */
final class KMeans {
    private KMeans() {
    }

    /** Told about each Lloyd step, e.g. to print it. */
    interface StepListener {
        void step(int step, double inertia);
    }

    /** A clustering: centres (k, D), each point's cluster, the inertia and how many Lloyd steps it took. */
    record Clustering(Tensor centres, int[] assignment, double inertia, int steps) {
    }

    /**
     * Lloyd's iterations from the given centres until no point changes cluster (or
     * {@code maxSteps}); {@code onStep} (if not null) receives each step's number and inertia.
     */
    static Clustering lloyd(Tensor x, Tensor centres, int maxSteps, StepListener onStep) {
        int k = centres.size(0);
        int[] assignment = null;
        double inertia = Double.NaN;
        for (int step = 1; step <= maxSteps; step++) {
            // assign: the nearest centre of every point, from one (N, k) distance matrix
            Tensor d = Neighbourhoods.squaredDistances(x, centres);
            int[] next = d.argmin(1).toArray();
            inertia = d.min(1).sum().item();
            if (onStep != null) {
                onStep.step(step, inertia);
            }
            if (assignment != null && Arrays.equals(assignment, next)) {
                return new Clustering(centres, assignment, inertia, step);
            }
            assignment = next;
            // update: mu = diag(1/n_j) A^T X, the mean of each cluster's points
            Tensor a = OneHot.encode(assignment, k);                  // (N, k)
            Tensor counts = a.sum(0).unsqueeze(1);                     // (k, 1)
            Tensor sums = a.t().matmul(x);                              // (k, D)
            centres = reseedEmpty(sums.div(counts.clamp(1f, Float.MAX_VALUE)), counts, x, d);
        }
        return new Clustering(centres, assignment, inertia, maxSteps);
    }

    /** A cluster that lost all its points takes over the point farthest from its current centre. */
    private static Tensor reseedEmpty(Tensor centres, Tensor counts, Tensor x, Tensor d) {
        if (counts.min().item() > 0) {
            return centres;
        }
        Tensor farthest = d.min(1);
        for (int j = 0; j < centres.size(0); j++) {
            if (counts.get(j, 0) == 0) {
                int far = farthest.argmax();
                centres = centres.copy();
                System.arraycopy(x.data(), far * x.size(1), centres.data(), j * x.size(1), x.size(1));
                farthest.data()[far] = 0;
            }
        }
        return centres;
    }

    /** k-means++ seeding: each new centre is a data point drawn with probability D(x)^2 / sum D^2. */
    static Tensor kMeansPlusPlus(Tensor x, int k, Rng rng) {
        int n = x.size(0);
        int[] chosen = new int[k];
        chosen[0] = rng.nextInt(n);
        float[] nearest = Neighbourhoods.squaredDistances(x, x.indexSelect(0, chosen[0])).data().clone();
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (float v : nearest) {
                total += v;
            }
            double u = rng.nextDouble() * total;
            int pick = n - 1;
            double cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += nearest[i];
                if (cumulative > u) {
                    pick = i;
                    break;
                }
            }
            chosen[c] = pick;
            float[] toNew = Neighbourhoods.squaredDistances(x, x.indexSelect(0, pick)).data();
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], toNew[i]);
            }
        }
        return x.indexSelect(0, chosen);
    }

    /** Forgy seeding: k distinct data points chosen uniformly. */
    static Tensor randomPoints(Tensor x, int k, Rng rng) {
        return x.indexSelect(0, Arrays.copyOf(rng.permutation(x.size(0)), k));
    }

    /** The run with the lowest inertia out of {@code restarts} k-means++ starts. */
    static Clustering best(Tensor x, int k, int restarts, Rng rng) {
        Clustering best = null;
        for (int r = 0; r < restarts; r++) {
            Clustering c = lloyd(x, kMeansPlusPlus(x, k, rng), 100, null);
            if (best == null || c.inertia() < best.inertia()) {
                best = c;
            }
        }
        return best;
    }

    /** The share of points whose cluster's most common label is their own label. */
    static double purity(int[] assignment, int[] labels, int k, int classes) {
        int[][] counts = contingency(assignment, labels, k, classes);
        int agree = 0;
        for (int[] row : counts) {
            agree += Arrays.stream(row).max().orElse(0);
        }
        return agree / (double) labels.length;
    }

    static int[][] contingency(int[] assignment, int[] labels, int k, int classes) {
        int[][] counts = new int[k][classes];
        for (int i = 0; i < labels.length; i++) {
            counts[assignment[i]][labels[i]]++;
        }
        return counts;
    }
}
