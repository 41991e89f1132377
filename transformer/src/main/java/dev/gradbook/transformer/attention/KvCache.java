package dev.gradbook.transformer.attention;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.List;

/**
 * The keys and values a decoder has already computed, kept between generation steps.
 *
 * <p>In causal self-attention, the key and value of position {@code t} depend only on tokens
 * {@code 0..t}, so they never change once computed. Generating token {@code t + 1} therefore needs
 * only the query, key and value of the newest position, and the cached keys and values of all the
 * earlier ones: each step costs one position instead of the whole prefix. The logits are the same
 * as recomputing everything (up to float rounding).
 *
 * <p>One {@link LayerCache} per transformer block, each holding {@code keys} and {@code values} of
 * shape {@code (B, nh, L, hs)}. Appending concatenates along the position dimension: simple, and
 * cheap next to the attention itself. The memory is
 * <pre>
 *   2 (keys and values) * nLayer * B * nh * L * hs * 4 bytes  =  8 nLayer B C L bytes
 * </pre>
 * which grows with every generated token: for a long context it, not the weights, fills the
 * accelerator's memory.
 *
 * <p>A rolling cache ({@link #rolling}) keeps only the last {@code capacity} positions, as
 * sliding-window attention needs (the "rolling buffer cache" of Jiang et al. 2023, "Mistral 7B",
 * section 2): a query at position {@code p} with window {@code w} sees keys
 * {@code p - w + 1 .. p} only, so older keys can go and the memory stops growing. The cache still
 * counts every position it has seen ({@link #length()}), since that is where the next one sits.
 */
public final class KvCache {
    private final LayerCache[] layers;

    /** An empty cache for a model with {@code nLayer} blocks that keeps every position. */
    public KvCache(int nLayer) {
        this(nLayer, Integer.MAX_VALUE);
    }

    private KvCache(int nLayer, int capacity) {
        layers = new LayerCache[nLayer];
        for (int i = 0; i < nLayer; i++) {
            layers[i] = new LayerCache(capacity);
        }
    }

    /**
     * An empty cache for {@code nLayer} blocks that keeps only the last {@code capacity} positions:
     * for attention with a sliding window of at most {@code capacity} positions.
     */
    public static KvCache rolling(int nLayer, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KvCache.rolling: capacity must be positive, got " + capacity);
        }
        return new KvCache(nLayer, capacity);
    }

    /** The cache of block {@code i}. */
    public LayerCache layer(int i) {
        return layers[i];
    }

    /** How many positions have been appended (the same in every layer once a forward has finished). */
    public int length() {
        return layers.length == 0 ? 0 : layers[0].length();
    }

    /** How many positions are held now: {@link #length()}, or at most the capacity of a rolling cache. */
    public int size() {
        return layers.length == 0 ? 0 : layers[0].size();
    }

    /** The bytes of the arrays that hold the keys and values now, over all layers. */
    public long bytes() {
        long total = 0;
        for (LayerCache layer : layers) {
            total += layer.bytes();
        }
        return total;
    }

    /** Forgets everything, to start a new sequence. */
    public void clear() {
        for (LayerCache layer : layers) {
            layer.keys = null;
            layer.values = null;
            layer.seen = 0;
        }
    }

    /** One block's cached keys and values. */
    public static final class LayerCache {
        private final int capacity;
        private Tensor keys;
        private Tensor values;
        private int seen;

        private LayerCache(int capacity) {
            this.capacity = capacity;
        }

        /** Positions appended so far. */
        public int length() {
            return seen;
        }

        /** Positions held now (at most the capacity). */
        public int size() {
            return keys == null ? 0 : keys.size(2);
        }

        /** The most positions held ({@link Integer#MAX_VALUE} when the cache keeps all). */
        public int capacity() {
            return capacity;
        }

        /**
         * Adds the new positions' {@code k, v (B, nh, T, hs)} after the held ones and returns all
         * of them, {@code (B, nh, S + T, hs)} with {@code S = size()}: the keys and values the new
         * queries attend over, the last {@code S + T} positions in order. A rolling cache then
         * keeps only the last {@code capacity} of them.
         */
        public Tensor[] append(Tensor k, Tensor v) {
            if (keys != null && (k.size(0) != keys.size(0) || k.size(1) != keys.size(1) || k.size(3) != keys.size(3))) {
                throw new IllegalArgumentException("KvCache: new keys " + Shape.format(k.shape())
                        + " do not match the cached " + Shape.format(keys.shape()));
            }
            Tensor allKeys = keys == null ? k : Tensor.cat(List.of(keys, k), 2);          // (B, nh, S + T, hs)
            Tensor allValues = values == null ? v : Tensor.cat(List.of(values, v), 2);    // (B, nh, S + T, hs)
            seen += k.size(2);
            int held = allKeys.size(2);
            keys = held <= capacity ? allKeys : allKeys.narrow(2, held - capacity, capacity);     // (B, nh, <= cap, hs)
            values = held <= capacity ? allValues : allValues.narrow(2, held - capacity, capacity);
            return new Tensor[] {allKeys, allValues};
        }

        public Tensor keys() {
            return keys;
        }

        public Tensor values() {
            return values;
        }

        /** The bytes of the two arrays held now (4 per float). */
        public long bytes() {
            return keys == null ? 0 : (long) Float.BYTES * (keys.data().length + values.data().length);
        }
    }
}
