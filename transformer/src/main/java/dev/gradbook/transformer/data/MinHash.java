package dev.gradbook.transformer.data;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * MinHash signatures: a short fingerprint of a set from which the Jaccard similarity of two sets
 * can be estimated without comparing the sets (A. Broder, "On the resemblance and containment of
 * documents", 1997, section 3). Used to find near-duplicate documents in training data.
 *
 * <p>For one random hash function {@code h}, the element of {@code A ∪ B} with the smallest hash is
 * equally likely to be any of them, so
 * <pre>
 *   P[ min h(A) = min h(B) ] = |A ∩ B| / |A ∪ B| = J(A, B).
 * </pre>
 * A signature keeps {@code min h_i} for {@code k} independent hash functions; the share of equal
 * entries in two signatures is an unbiased estimate of {@code J} with standard deviation
 * {@code sqrt(J (1 - J) / k)}. By Hoeffding's inequality it is within
 * {@code eps = sqrt(ln(2 / delta) / (2k))} of {@code J} with probability at least {@code 1 - delta}
 * ({@link #errorBound(double)}).
 *
 * <p>Documents become sets through character shingles: all substrings of {@code n} characters
 * ({@link #shingles(String)}). Hashes are 64-bit: FNV-1a over the shingle's characters, then a
 * SplitMix64 finaliser keyed by each function's own seed.
 */
public final class MinHash {
    private final int numHashes;
    private final int shingleSize;
    private final long[] keys;

    /**
     * @param numHashes   k, the signature length
     * @param shingleSize n, characters per shingle
     * @param seed        picks the k hash functions
     */
    public MinHash(int numHashes, int shingleSize, long seed) {
        if (numHashes < 1) {
            throw new IllegalArgumentException("MinHash: numHashes must be >= 1, got " + numHashes);
        }
        if (shingleSize < 1) {
            throw new IllegalArgumentException("MinHash: shingleSize must be >= 1, got " + shingleSize);
        }
        this.numHashes = numHashes;
        this.shingleSize = shingleSize;
        this.keys = new long[numHashes];
        long state = seed;
        for (int i = 0; i < numHashes; i++) {
            state += 0x9E3779B97F4A7C15L;
            keys[i] = mix(state);
        }
    }

    public int numHashes() {
        return numHashes;
    }

    /** The set of substrings of {@code shingleSize} characters; a shorter text is its own shingle. */
    public Set<String> shingles(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text.length() <= shingleSize) {
            out.add(text);
            return out;
        }
        for (int i = 0; i + shingleSize <= text.length(); i++) {
            out.add(text.substring(i, i + shingleSize));
        }
        return out;
    }

    /** The signature of a text's shingle set. */
    public long[] signature(String text) {
        return signature(shingles(text));
    }

    /** The signature of a set of strings: for each hash function, the smallest hash in the set. */
    public long[] signature(Collection<String> set) {
        if (set.isEmpty()) {
            throw new IllegalArgumentException("MinHash.signature: the set is empty (no minimum to take)");
        }
        long[] sig = new long[numHashes];
        java.util.Arrays.fill(sig, Long.MAX_VALUE);
        for (String s : set) {
            long base = fnv1a(s);
            for (int i = 0; i < numHashes; i++) {
                long h = mix(base ^ keys[i]);
                if (Long.compareUnsigned(h, sig[i]) < 0) {
                    sig[i] = h;
                }
            }
        }
        return sig;
    }

    /** The estimated Jaccard similarity: the share of equal signature entries. */
    public static double estimate(long[] a, long[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("MinHash.estimate: signatures of length " + a.length + " and "
                    + b.length + " come from different MinHash settings");
        }
        int equal = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                equal++;
            }
        }
        return (double) equal / a.length;
    }

    /** The exact Jaccard similarity |A ∩ B| / |A ∪ B| (1 for two empty sets). */
    public static double jaccard(Set<String> a, Set<String> b) {
        int inter = 0;
        for (String s : a) {
            if (b.contains(s)) {
                inter++;
            }
        }
        int union = a.size() + b.size() - inter;
        return union == 0 ? 1.0 : (double) inter / union;
    }

    /** Hoeffding's {@code eps}: the estimate is within eps of J with probability at least 1 - delta. */
    public double errorBound(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("MinHash.errorBound: delta must be in (0, 1), got " + delta);
        }
        return Math.sqrt(Math.log(2 / delta) / (2.0 * numHashes));
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
