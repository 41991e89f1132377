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
 * shape {@code (B, nh, L, hs)}, where {@code L} is the number of positions seen so far. Appending
 * concatenates along the position dimension: simple, and cheap next to the attention itself.
 */
public final class KvCache {
    private final LayerCache[] layers;

    /** An empty cache for a model with {@code nLayer} blocks. */
    public KvCache(int nLayer) {
        layers = new LayerCache[nLayer];
        for (int i = 0; i < nLayer; i++) {
            layers[i] = new LayerCache();
        }
    }

    /** The cache of block {@code i}. */
    public LayerCache layer(int i) {
        return layers[i];
    }

    /** How many positions are cached (the same in every layer once a forward has finished). */
    public int length() {
        return layers.length == 0 ? 0 : layers[0].length();
    }

    /** Forgets everything, to start a new sequence. */
    public void clear() {
        for (LayerCache layer : layers) {
            layer.keys = null;
            layer.values = null;
        }
    }

    /** One block's cached keys and values. */
    public static final class LayerCache {
        private Tensor keys;
        private Tensor values;

        /** Positions cached so far. */
        public int length() {
            return keys == null ? 0 : keys.size(2);
        }

        /**
         * Adds the new positions' {@code k, v (B, nh, T, hs)} after the cached ones and returns all
         * keys and values so far, {@code (B, nh, L + T, hs)}.
         */
        public Tensor[] append(Tensor k, Tensor v) {
            if (keys != null && (k.size(0) != keys.size(0) || k.size(1) != keys.size(1) || k.size(3) != keys.size(3))) {
                throw new IllegalArgumentException("KvCache: new keys " + Shape.format(k.shape())
                        + " do not match the cached " + Shape.format(keys.shape()));
            }
            keys = keys == null ? k : Tensor.cat(List.of(keys, k), 2);        // (B, nh, L + T, hs)
            values = values == null ? v : Tensor.cat(List.of(values, v), 2);  // (B, nh, L + T, hs)
            return new Tensor[] {keys, values};
        }

        public Tensor keys() {
            return keys;
        }

        public Tensor values() {
            return values;
        }
    }
}
