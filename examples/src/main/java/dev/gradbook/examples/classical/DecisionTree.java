package dev.gradbook.examples.classical;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A classification tree grown by CART (Breiman, Friedman, Olshen and Stone, <i>Classification
 * and Regression Trees</i>, 1984; Hastie, Tibshirani and Friedman, <i>The Elements of
 * Statistical Learning</i>, section 9.2), written out from scratch. The {@code decision-tree}
 * chapter explains it; {@code random-forest} and {@code model-evaluation} grow it too.
 *
 * <p>Every inner node asks one question, {@code x[feature] <= threshold}, and sends the example
 * left (yes) or right (no); every leaf holds the class counts of the training examples that
 * reached it and predicts the most frequent class. Growing is greedy and recursive: at a node
 * holding examples S, try every feature j and every threshold t halfway between two neighbouring
 * distinct values, and keep the split that minimises the weighted impurity of the two children
 * <pre>
 *   cost(j, t) = |L| / |S| * I(L) + |R| / |S| * I(R),    L = {x in S : x_j &lt;= t},  R = S \ L
 * </pre>
 * where, with {@code p_k} the fraction of class k at the node,
 * <pre>
 *   Gini     I = 1 - sum_k p_k^2          (the chance two random draws disagree)
 *   entropy  I = -sum_k p_k log2 p_k      (bits needed to name the class)
 * </pre>
 * Sorting the node's examples by feature j once lets one sweep move them from right to left one
 * at a time, updating the class counts, so each feature costs {@code O(n log n)}. Growing stops
 * at a pure node, at {@code maxDepth}, below {@code minSamplesSplit} examples, or when no split
 * lowers the impurity. A random forest also sets {@code maxFeatures}: each node then looks at a
 * random subset of that many features only.
 */
final class DecisionTree {
    /** How impure a node is, from its class counts. */
    enum Criterion {
        GINI, ENTROPY;

        double impurity(int[] counts, int total) {
            double result = this == GINI ? 1 : 0;
            for (int c : counts) {
                if (c > 0) {
                    double p = (double) c / total;
                    result += this == GINI ? -p * p : -p * Math.log(p) / Math.log(2);
                }
            }
            return result;
        }
    }

    /**
     * The limits on growth.
     *
     * @param criterion       impurity measure
     * @param maxDepth        questions on the longest path from the root (the root alone is depth 0)
     * @param minSamplesSplit a node with fewer examples becomes a leaf (CART's default: 2)
     * @param minSamplesLeaf  each child must keep at least this many examples (default: 1)
     * @param maxFeatures     features tried at each node, drawn afresh per node; 0 means all
     */
    record Config(Criterion criterion, int maxDepth, int minSamplesSplit, int minSamplesLeaf, int maxFeatures) {
        /** Every feature at every node, no limits but the depth. */
        static Config of(Criterion criterion, int maxDepth) {
            return new Config(criterion, maxDepth, 2, 1, 0);
        }
    }

    /** A node of the tree: a question or an answer. */
    sealed interface Node permits Leaf, Split {
        /** Training examples of each class that reached this node. */
        int[] counts();
    }

    record Leaf(int[] counts) implements Node {
    }

    record Split(int feature, float threshold, Node left, Node right, int[] counts, double impurity) implements Node {
    }

    private final Node root;
    private final int numClasses;
    private final Criterion criterion;

    private DecisionTree(Node root, int numClasses, Criterion criterion) {
        this.root = root;
        this.numClasses = numClasses;
        this.criterion = criterion;
    }

    /** Grows a tree on all rows of {@code x} (N, D) with class labels {@code y}. */
    static DecisionTree fit(Tensor x, int[] y, int numClasses, Config config, Rng rng) {
        int[] all = new int[y.length];
        Arrays.setAll(all, i -> i);
        return fit(x, y, all, numClasses, config, rng);
    }

    /** Grows a tree on the rows {@code rows} of {@code x} (a row may repeat, as in a bootstrap sample). */
    static DecisionTree fit(Tensor x, int[] y, int[] rows, int numClasses, Config config, Rng rng) {
        Grower grower = new Grower(x.data(), x.size(1), y, numClasses, config, rng);
        return new DecisionTree(grower.grow(rows.clone(), 0), numClasses, config.criterion());
    }

    Node root() {
        return root;
    }

    /** The predicted class of each row of {@code x} (N, D). */
    int[] predict(Tensor x) {
        double[][] p = probabilities(x);
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int k = 1; k < numClasses; k++) {
                if (p[i][k] > p[i][out[i]]) {
                    out[i] = k;
                }
            }
        }
        return out;
    }

    /** For each row of {@code x}, the class fractions in the leaf it falls into. */
    double[][] probabilities(Tensor x) {
        int d = x.size(1);
        float[] v = x.data();
        double[][] out = new double[x.size(0)][];
        for (int i = 0; i < out.length; i++) {
            Node node = root;
            while (node instanceof Split s) {
                node = v[i * d + s.feature()] <= s.threshold() ? s.left() : s.right();
            }
            int[] counts = node.counts();
            int total = Arrays.stream(counts).sum();
            out[i] = new double[numClasses];
            for (int k = 0; k < numClasses; k++) {
                out[i][k] = (double) counts[k] / total;
            }
        }
        return out;
    }

    /** The number of questions on the longest path. */
    int depth() {
        return depth(root);
    }

    private static int depth(Node node) {
        return node instanceof Split s ? 1 + Math.max(depth(s.left()), depth(s.right())) : 0;
    }

    int leaves() {
        return leaves(root);
    }

    private static int leaves(Node node) {
        return node instanceof Split s ? leaves(s.left()) + leaves(s.right()) : 1;
    }

    /** The tree as indented text: each question, then its yes and no branches one level deeper. */
    String toText(List<String> features, List<String> classes) {
        StringBuilder sb = new StringBuilder();
        write(sb, root, "", features, classes);
        return sb.toString();
    }

    private void write(StringBuilder sb, Node node, String indent, List<String> features, List<String> classes) {
        int total = Arrays.stream(node.counts()).sum();
        if (node instanceof Split s) {
            sb.append(String.format(Locale.ROOT, "%s <= %.2f ?  (%d examples, %s %.3f)%n", features.get(s.feature()),
                    s.threshold(), total, criterion.name().toLowerCase(Locale.ROOT), s.impurity()));
            sb.append(indent).append("  yes: ");
            write(sb, s.left(), indent + "  ", features, classes);
            sb.append(indent).append("  no:  ");
            write(sb, s.right(), indent + "  ", features, classes);
        } else {
            int best = 0;
            for (int k = 1; k < numClasses; k++) {
                best = node.counts()[k] > node.counts()[best] ? k : best;
            }
            sb.append(classes.get(best)).append("  ").append(Arrays.toString(node.counts())).append('\n');
        }
    }

    /** The recursion that grows one tree; holds the training data so that each call passes only its rows. */
    private static final class Grower {
        private final float[] x;
        private final int d;
        private final int[] y;
        private final int numClasses;
        private final Config config;
        private final Rng rng;

        Grower(float[] x, int d, int[] y, int numClasses, Config config, Rng rng) {
            this.x = x;
            this.d = d;
            this.y = y;
            this.numClasses = numClasses;
            this.config = config;
            this.rng = rng;
        }

        Node grow(int[] rows, int depth) {
            int[] counts = classCounts(rows);
            double impurity = config.criterion().impurity(counts, rows.length);
            if (depth >= config.maxDepth() || rows.length < config.minSamplesSplit() || impurity == 0) {
                return new Leaf(counts);
            }
            double bestCost = impurity - 1e-12; // a split must lower the impurity
            int bestFeature = -1;
            float bestThreshold = 0;
            for (int j : candidateFeatures()) {
                int[] order = byFeature(rows, j);
                int[] left = new int[numClasses];
                int[] right = counts.clone();
                for (int i = 0; i + 1 < order.length; i++) {
                    int label = y[order[i]];
                    left[label]++;
                    right[label]--;
                    float here = x[order[i] * d + j];
                    float next = x[order[i + 1] * d + j];
                    int nLeft = i + 1;
                    int nRight = order.length - nLeft;
                    if (here == next || nLeft < config.minSamplesLeaf() || nRight < config.minSamplesLeaf()) {
                        continue;
                    }
                    double cost = (nLeft * config.criterion().impurity(left, nLeft)
                            + nRight * config.criterion().impurity(right, nRight)) / order.length;
                    if (cost < bestCost) {
                        bestCost = cost;
                        bestFeature = j;
                        bestThreshold = midpoint(here, next);
                    }
                }
            }
            if (bestFeature < 0) {
                return new Leaf(counts);
            }
            int[][] parts = partition(rows, bestFeature, bestThreshold);
            return new Split(bestFeature, bestThreshold, grow(parts[0], depth + 1), grow(parts[1], depth + 1),
                    counts, impurity);
        }

        /** All features in order, or a random {@code maxFeatures} of them (a partial Fisher-Yates shuffle). */
        private int[] candidateFeatures() {
            int[] all = new int[d];
            Arrays.setAll(all, i -> i);
            int m = config.maxFeatures();
            if (m <= 0 || m >= d) {
                return all;
            }
            for (int i = 0; i < m; i++) {
                int j = i + rng.nextInt(d - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            int[] chosen = Arrays.copyOf(all, m);
            Arrays.sort(chosen); // visit in feature order, so ties go to the lower-numbered feature
            return chosen;
        }

        /**
         * The rows sorted by feature j. Sorting is most of the cost of growing a tree, so rather
         * than sort boxed indices with a comparator, each row becomes one {@code long}: the
         * value's bits (made to order like the float, see {@link #sortable}) in the high half,
         * the row index in the low half. A primitive sort of these keys orders the rows by value.
         */
        private int[] byFeature(int[] rows, int j) {
            long[] keys = new long[rows.length];
            for (int i = 0; i < rows.length; i++) {
                keys[i] = ((long) sortable(x[rows[i] * d + j]) << 32) | rows[i];
            }
            Arrays.sort(keys);
            int[] order = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                order[i] = (int) keys[i]; // the low 32 bits: the row index
            }
            return order;
        }

        /**
         * An int that orders like the float {@code v}. The IEEE bits of a positive float already
         * order as ints; a negative float has the sign bit set and its other bits grow with its
         * magnitude, so flipping those other bits makes more negative mean smaller.
         */
        private static int sortable(float v) {
            int bits = Float.floatToIntBits(v);
            return bits < 0 ? bits ^ 0x7fffffff : bits;
        }

        private int[][] partition(int[] rows, int feature, float threshold) {
            int nLeft = 0;
            for (int r : rows) {
                nLeft += x[r * d + feature] <= threshold ? 1 : 0;
            }
            int[] left = new int[nLeft];
            int[] right = new int[rows.length - nLeft];
            int l = 0;
            int rr = 0;
            for (int r : rows) {
                if (x[r * d + feature] <= threshold) {
                    left[l++] = r;
                } else {
                    right[rr++] = r;
                }
            }
            return new int[][] {left, right};
        }

        private int[] classCounts(int[] rows) {
            int[] counts = new int[numClasses];
            for (int r : rows) {
                counts[y[r]]++;
            }
            return counts;
        }

        /** Halfway between two neighbouring values, never rounded up onto the larger one. */
        private static float midpoint(float low, float high) {
            float t = (float) ((low + (double) high) / 2);
            return t < high ? t : low;
        }
    }
}
