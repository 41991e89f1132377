package dev.gradbook.nn.data;

import dev.gradbook.core.Rng;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Serves a {@link Dataset} as mini-batches, one epoch at a time, like PyTorch's
 * {@code DataLoader}.
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(train, 32, true, false, 42);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch batch : loader) {          // each for-loop is the next epoch
 *         Tensor logits = model.forward(batch.inputs());   // (B, classes)
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Shuffling. With {@code shuffle}, epoch {@code e} visits the examples in a random order
 * drawn from a generator seeded by {@code (seed, e)} alone. The order of any epoch can therefore
 * be recomputed without replaying the epochs before it, which is what makes a resumed run see
 * exactly the batches an uninterrupted run would: save the epoch and the batch position, and
 * continue with {@link #epoch(int, int)}. The same seed gives the same orders on every run.
 *
 * <p>The last batch of an epoch holds the {@code size % batchSize} examples left over, unless
 * {@code dropLast} is set, in which case it is skipped so that every batch has the same size.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private int nextEpoch;

    /**
     * @param batchSize examples per batch ({@code B})
     * @param shuffle   visit the examples in a new random order each epoch
     * @param dropLast  skip a final batch smaller than {@code batchSize}
     * @param seed      seeds the shuffles (ignored without {@code shuffle})
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batch size must be >= 1, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
    }

    /** In order, keeping the last partial batch: for evaluation. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(dataset, batchSize, false, false, 0);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The number of batches in one epoch. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The epoch that the next {@link #iterator()} (the next for-loop) will serve. */
    public int nextEpoch() {
        return nextEpoch;
    }

    /** Makes the next {@link #iterator()} serve epoch {@code epoch} (to resume a run). */
    public void setNextEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader.setNextEpoch: epoch must be >= 0, got " + epoch);
        }
        this.nextEpoch = epoch;
    }

    /**
     * The order in which epoch {@code epoch} visits the examples: a permutation of
     * {@code 0 .. size-1}, or the identity without shuffling.
     */
    public int[] order(int epoch) {
        int n = dataset.size();
        if (!shuffle) {
            int[] identity = new int[n];
            Arrays.setAll(identity, i -> i);
            return identity;
        }
        // Each epoch gets its own generator, mixed from the seed and the epoch number, so that
        // epoch e's order depends on nothing else.
        return new Rng(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L))).permutation(n);
    }

    /** The batches of the next epoch; every call advances to a new epoch (a new shuffle). */
    @Override
    public Iterator<Batch> iterator() {
        return batches(nextEpoch++, 0);
    }

    /** The batches of epoch {@code epoch}, without changing which epoch {@link #iterator()} serves next. */
    public Iterable<Batch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of epoch {@code epoch} from batch number {@code firstBatch} on: resuming mid-epoch. */
    public Iterable<Batch> epoch(int epoch, int firstBatch) {
        if (epoch < 0 || firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("DataLoader.epoch: epoch " + epoch + ", first batch " + firstBatch
                    + " (an epoch has " + batchesPerEpoch() + " batches)");
        }
        return () -> batches(epoch, firstBatch);
    }

    private Iterator<Batch> batches(int epoch, int firstBatch) {
        int[] order = order(epoch);
        int count = batchesPerEpoch();
        return new Iterator<>() {
            private int next = firstBatch;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("DataLoader: epoch " + epoch + " has only " + count
                            + " batches");
                }
                int from = next * batchSize;
                int to = Math.min(from + batchSize, order.length);
                next++;
                return dataset.batch(Arrays.copyOfRange(order, from, to));
            }
        };
    }
}
