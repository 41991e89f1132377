package dev.gradbook.nn.prune;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;

import java.util.Arrays;

/**
 * Magnitude pruning masks: 1 where a weight is kept, 0 where it is removed.
 * <ul>
 *   <li>Unstructured (Han et al., "Learning both Weights and Connections for Efficient Neural
 *       Networks", NeurIPS 2015, section 3): remove the fraction {@code sparsity} of weights with
 *       the smallest |w|. Small weights contribute little to any output, so accuracy holds up to
 *       high sparsity, but the zeros are scattered: a dense matrix product is no faster.</li>
 *   <li>Structured (Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017, section 3.1,
 *       here for the rows of a Linear): remove whole output neurons, those whose weight rows have
 *       the smallest L1 norm. The layer really becomes smaller, but each removal takes out many
 *       weights at once, including some large ones, so accuracy falls sooner.</li>
 * </ul>
 * Ties at the threshold are broken by position (the earlier weight goes first), so exactly
 * {@code round(sparsity * n)} weights or rows are removed.
 */
public final class PruningMask {
    private PruningMask() {
    }

    /** The unstructured mask of {@code w}: the {@code round(sparsity * numel)} smallest |w| set to 0. */
    public static Tensor magnitude(Tensor w, double sparsity) {
        checkSparsity(sparsity);
        float[] v = w.data();
        int remove = (int) Math.round(sparsity * v.length);
        return Tensor.of(keepAllBut(v.length, remove, i -> Math.abs(v[i])), w.shape());
    }

    /** The structured mask of a {@code (rows, cols)} weight: whole rows with the smallest L1 norms set to 0. */
    public static Tensor rows(Tensor w, double sparsity) {
        checkSparsity(sparsity);
        if (w.dim() != 2) {
            throw new IllegalArgumentException("PruningMask.rows: expects a (rows, cols) weight, got " + Shape.format(w.shape()));
        }
        int rows = w.size(0);
        int cols = w.size(1);
        float[] v = w.data();
        double[] norms = new double[rows];
        for (int i = 0; i < v.length; i++) {
            norms[i / cols] += Math.abs(v[i]);
        }
        float[] rowKeep = keepAllBut(rows, (int) Math.round(sparsity * rows), i -> norms[i]);
        float[] mask = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            mask[i] = rowKeep[i / cols];
        }
        return Tensor.of(mask, rows, cols);
    }

    /** Multiplies {@code linear}'s weight by {@code mask} in place; with a row mask, the removed neurons' biases too. */
    public static void apply(Linear linear, Tensor mask) {
        if (!Arrays.equals(mask.shape(), linear.weight.shape())) {
            throw new IllegalArgumentException("PruningMask.apply: mask " + Shape.format(mask.shape())
                    + " does not match the weight " + Shape.format(linear.weight.shape()));
        }
        try (var noGrad = Autograd.noGrad()) {
            linear.weight.copyInPlace(linear.weight.mul(mask));
            if (linear.bias != null) {
                // a row that is entirely masked is a removed neuron: its bias goes as well
                linear.bias.copyInPlace(linear.bias.mul(mask.max(1).detach()));
            }
        }
    }

    /** The fraction of zeros in {@code t}. */
    public static double sparsity(Tensor t) {
        int zeros = 0;
        for (float x : t.data()) {
            zeros += x == 0 ? 1 : 0;
        }
        return (double) zeros / t.numel();
    }

    private interface Score {
        double of(int i);
    }

    private static float[] keepAllBut(int n, int remove, Score score) {
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(score.of(a), score.of(b));
            return c != 0 ? c : Integer.compare(a, b);
        });
        float[] keep = new float[n];
        Arrays.fill(keep, 1);
        for (int i = 0; i < remove; i++) {
            keep[order[i]] = 0;
        }
        return keep;
    }

    private static void checkSparsity(double sparsity) {
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new IllegalArgumentException("PruningMask: sparsity must be in [0, 1], got " + sparsity);
        }
    }
}
