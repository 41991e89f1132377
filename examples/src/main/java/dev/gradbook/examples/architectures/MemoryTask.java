package dev.gradbook.examples.architectures;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * The synthetic tasks that tell a sequence mixer with memory from one without, generated with a
 * seed. Each batch is a one-hot input {@code (B, T, V)}, and a one-hot target {@code (B, T, V)} that
 * is zero except at the positions to be answered.
 * <ul>
 *   <li>Associative recall (Ba et al. 2016; used for Hyena and H3, Poli et al. 2023 section 4.1):
 *       {@code k1 v1 k2 v2 ... kn vn q1 q2 ...}; the answer at each query is the value that
 *       followed that key.</li>
 *   <li>Selective copy (Gu and Dao 2023, "Mamba", section 3.1, Figure 2): a few data tokens
 *       scattered at random positions among blanks, then one marker per data token; at the
 *       markers the model must say the data tokens in order. Where they were varies, so a fixed
 *       (time-invariant) filter cannot do it: the model must select by content.</li>
 * </ul>
 */
record MemoryTask(String name, int vocab, int length, int answers, Generator generator) {
    /** One batch of a task. */
    record Batch(Tensor input, Tensor target) {
    }

    interface Generator {
        /** Fills {@code tokens[T]} and {@code targets[T]} (-1 where there is nothing to answer). */
        void sample(int[] tokens, int[] targets, Rng rng);
    }

    /**
     * {@code pairs} key-value pairs over {@code keys} keys and {@code values} values, then {@code queries}
     * keys asked one after the other, each answered at its own position (the multi-query form of
     * Arora et al. 2023, "Zoology", section 3, which gives more answers per sequence to learn from).
     */
    static MemoryTask associativeRecall(int keys, int values, int pairs, int queries) {
        if (pairs > keys || pairs < 1 || queries < 1) {
            throw new IllegalArgumentException("associative recall: " + pairs + " pairs need distinct keys (" + keys
                    + " keys) and at least one query, got " + queries);
        }
        return new MemoryTask("associative recall", keys + values, 2 * pairs + queries, queries, (tokens, targets, rng) -> {
            int[] order = rng.permutation(keys);
            int[] value = new int[pairs];
            for (int i = 0; i < pairs; i++) {
                value[i] = keys + rng.nextInt(values);
                tokens[2 * i] = order[i];
                tokens[2 * i + 1] = value[i];
                targets[2 * i] = targets[2 * i + 1] = -1;
            }
            for (int j = 0; j < queries; j++) {
                int asked = rng.nextInt(pairs);
                tokens[2 * pairs + j] = order[asked];
                targets[2 * pairs + j] = value[asked];
            }
        });
    }

    /** {@code data} tokens from {@code symbols} symbols among {@code spread} positions, then {@code data} markers. */
    static MemoryTask selectiveCopy(int symbols, int spread, int data) {
        int blank = symbols;
        int marker = symbols + 1;
        return new MemoryTask("selective copy", symbols + 2, spread + data, data, (tokens, targets, rng) -> {
            java.util.Arrays.fill(tokens, blank);
            java.util.Arrays.fill(targets, -1);
            int[] where = rng.permutation(spread);
            java.util.Arrays.sort(where, 0, data);
            for (int i = 0; i < data; i++) {
                int symbol = rng.nextInt(symbols);
                tokens[where[i]] = symbol;
                tokens[spread + i] = marker;
                targets[spread + i] = symbol;
            }
        });
    }

    Batch batch(int size, Rng rng) {
        float[] in = new float[size * length * vocab];
        float[] out = new float[size * length * vocab];
        int[] tokens = new int[length];
        int[] targets = new int[length];
        for (int b = 0; b < size; b++) {
            generator.sample(tokens, targets, rng);
            for (int t = 0; t < length; t++) {
                in[(b * length + t) * vocab + tokens[t]] = 1;
                if (targets[t] >= 0) {
                    out[(b * length + t) * vocab + targets[t]] = 1;
                }
            }
        }
        return new Batch(Tensor.of(in, size, length, vocab), Tensor.of(out, size, length, vocab));
    }
}
