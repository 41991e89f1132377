package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertBitsEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/** Seeded randomness: the same seed gives the same bits; the samples have the right distribution. */
class RngTest {

    private static final List<Function<Rng, Tensor>> SAMPLERS = List.of(
            rng -> Tensor.rand(rng, 3, 4),
            rng -> Tensor.randn(rng, 3, 5),
            rng -> Tensor.uniform(rng, -2, 3, 7),
            rng -> Tensor.normal(rng, 1, 0.5f, 7),
            rng -> Tensor.randint(rng, -3, 10, 4, 4),
            rng -> Tensor.bernoulli(rng, 0.3f, 20));

    @Test
    void sameSeedGivesIdenticalBits() {
        for (Function<Rng, Tensor> sampler : SAMPLERS) {
            assertBitsEqual(sampler.apply(new Rng(42)), sampler.apply(new Rng(42)));
        }
        assertArrayEquals(new Rng(42).permutation(50), new Rng(42).permutation(50));
        Rng a = new Rng(-7);
        Rng b = new Rng(-7);
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
    }

    @Test
    void differentSeedsDiffer() {
        for (Function<Rng, Tensor> sampler : SAMPLERS) {
            assertFalse(Arrays.equals(sampler.apply(new Rng(1)).data(), sampler.apply(new Rng(2)).data()));
        }
        assertFalse(Arrays.equals(new Rng(1).permutation(50), new Rng(2).permutation(50)));
    }

    @Test
    void splitMix64MatchesThePublishedAlgorithm() {
        // SplitMix64 written out independently: state += golden gamma, then the two mix rounds
        long state = 123;
        Rng rng = new Rng(123);
        for (int i = 0; i < 5; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            assertEquals(z ^ (z >>> 31), rng.nextLong());
        }
        // the first output for seed 0 from the reference implementation (Vigna's splitmix64.c)
        assertEquals(0xE220A8397B1DCDAFL, new Rng(0).nextLong());
    }

    @Test
    void randnHasStandardNormalMoments() {
        Tensor x = Tensor.randn(new Rng(2024), 100_000);
        double mean = 0;
        for (float v : x.data()) {
            mean += v;
        }
        mean /= x.numel();
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        int within1 = 0;
        for (float v : x.data()) {
            double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
            within1 += Math.abs(v) < 1 ? 1 : 0;
        }
        int n = x.numel();
        m2 /= n;
        m3 /= n;
        m4 /= n;
        // standard errors at n = 1e5: mean 0.003, variance 0.0045, skewness 0.008, kurtosis 0.015
        assertEquals(0, mean, 0.015);
        assertEquals(1, m2, 0.02);
        assertEquals(0, m3 / Math.pow(m2, 1.5), 0.04);
        assertEquals(3, m4 / (m2 * m2), 0.08);
        assertEquals(0.6826895, within1 / (double) n, 0.006, "P(|z| < 1)");
    }

    @Test
    void uniformSamplesStayInRange() {
        Tensor u = Tensor.uniform(new Rng(9), -2, 3, 100_000);
        double sum = 0;
        for (float v : u.data()) {
            assertTrue(v >= -2 && v < 3, "sample " + v);
            sum += v;
        }
        assertEquals(0.5, sum / u.numel(), 0.02);
        Tensor r = Tensor.rand(new Rng(9), 10_000);
        for (float v : r.data()) {
            assertTrue(v >= 0 && v < 1);
        }
    }

    @Test
    void uniformExcludesTheUpperBoundEvenForTheLargestDraw() {
        // this seed's first 64 bits are 0xFFFFFF0000000000 (found by inverting SplitMix64's mix),
        // so nextFloat() returns its largest value, 1 - 2^-24
        long seed = 1252319804544721972L;
        assertEquals(0xFFFFFF0000000000L, new Rng(seed).nextLong());
        assertEquals(1 - 0x1.0p-24f, new Rng(seed).nextFloat());
        // low + (high - low) * (1 - 2^-24) rounds up to high in float for this range
        float v = Tensor.uniform(new Rng(seed), 0.5f, 1.5f, 1).item();
        assertTrue(v >= 0.5f && v < 1.5f, "uniform is documented as [low, high), got " + v);
        float w = Tensor.uniform(new Rng(seed), -1f, 1f, 1).item();
        assertTrue(w < 1f, "got " + w);
    }

    @Test
    void nextIntIsUnbiasedOverASmallBound() {
        Rng rng = new Rng(77);
        int bound = 6;
        int n = 60_000;
        int[] counts = new int[bound];
        for (int i = 0; i < n; i++) {
            counts[rng.nextInt(bound)]++;
        }
        // chi-squared with 5 degrees of freedom: the 99.9th percentile is 20.5
        double expected = n / (double) bound;
        double chi2 = 0;
        for (int c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chi2 < 20.5, "chi^2 = " + chi2 + " for counts " + Arrays.toString(counts));
        for (int i = 0; i < 1000; i++) {
            int v = rng.nextInt(-3, 4);
            assertTrue(v >= -3 && v < 4);
        }
        assertEquals(0, new Rng(1).nextInt(1));
        assertThrows(IllegalArgumentException.class, () -> rng.nextInt(0));
        assertThrows(IllegalArgumentException.class, () -> rng.nextInt(5, 5));
    }

    @Test
    void nextIntHandlesTheLargestBound() {
        Rng rng = new Rng(3);
        boolean sawUpperHalf = false;
        for (int i = 0; i < 100; i++) {
            int v = rng.nextInt(Integer.MAX_VALUE);
            assertTrue(v >= 0);
            sawUpperHalf |= v > Integer.MAX_VALUE / 2;
        }
        assertTrue(sawUpperHalf);
    }

    @Test
    void randintAndBernoulliValues() {
        Tensor r = Tensor.randint(new Rng(5), -3, 10, 10_000);
        int[] counts = new int[13];
        for (float v : r.data()) {
            assertEquals(Math.rint(v), v, "whole numbers");
            assertTrue(v >= -3 && v < 10);
            counts[(int) v + 3]++;
        }
        for (int c : counts) {
            assertTrue(c > 0, "every value in [-3, 10) appears: " + Arrays.toString(counts));
        }
        Tensor b = Tensor.bernoulli(new Rng(5), 0.3f, 100_000);
        double ones = 0;
        for (float v : b.data()) {
            assertTrue(v == 0 || v == 1);
            ones += v;
        }
        assertEquals(0.3, ones / b.numel(), 0.006);
        assertEquals(0, Tensor.bernoulli(new Rng(1), 0, 100).sum().item());
        assertEquals(100, Tensor.bernoulli(new Rng(1), 1, 100).sum().item());
    }

    @Test
    void permutationIsAPermutation() {
        int[] p = new Rng(8).permutation(1000);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(sorted, p), "shuffled");
        assertEquals(0, new Rng(8).permutation(0).length);
        // every arrangement of 3 elements appears about equally often
        Rng rng = new Rng(10);
        int[] counts = new int[6];
        for (int i = 0; i < 6000; i++) {
            int[] q = rng.permutation(3);
            counts[q[0] * 2 + (q[1] > q[2] ? 1 : 0)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 1000) < 130, Arrays.toString(counts));
        }
    }

    @Test
    void splitGivesIndependentDeterministicStreams() {
        Rng parent = new Rng(4);
        Rng child = parent.split();
        Rng again = new Rng(4).split();
        assertEquals(child.nextLong(), again.nextLong());
        assertNotEquals(parent.nextLong(), child.nextLong());
    }
}
