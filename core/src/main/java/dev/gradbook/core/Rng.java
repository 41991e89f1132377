package dev.gradbook.core;

/**
 * A small, seeded pseudo-random generator: the same seed gives the same bits on every JVM.
 *
 * <p>It is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014): a 64-bit counter advanced by a fixed odd constant, then scrambled by two
 * multiply-xorshift rounds. It is fast, passes BigCrush, and its whole state is one {@code long},
 * so a learner can see exactly where every random number comes from. Not thread-safe: give each
 * thread its own generator (for example with {@link #split()}).
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1), with 24 random bits: every float in the range is equally likely on its grid. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), without modulo bias (Lemire's rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        }
        long threshold = (1L << 32) % bound;
        while (true) {
            long r = nextLong() >>> 32;
            long m = r * bound;
            if ((m & 0xFFFFFFFFL) >= threshold) {
                return (int) (m >>> 32);
            }
        }
    }

    /** Uniform integer in [low, high). */
    public int nextInt(int low, int high) {
        if (high <= low) {
            throw new IllegalArgumentException("nextInt: empty range [" + low + ", " + high + ")");
        }
        return low + nextInt(high - low);
    }

    /**
     * A standard normal sample by the Marsaglia polar method: draw a point uniformly in the unit
     * disc; {@code u * sqrt(-2 ln s / s)} and {@code v * sqrt(-2 ln s / s)} are two independent
     * N(0, 1) samples, and the second one is kept for the next call.
     */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * factor;
        return u * factor;
    }

    /** A new generator seeded from this one: independent streams for threads or sub-tasks. */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** Shuffles {@code values} in place (Fisher-Yates). */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** {@code 0, 1, ..., n-1} in random order. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }
}
