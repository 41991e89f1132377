package dev.gradbook.transformer.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinHashTest {
    /** Two sets of 300 elements sharing {@code shared} of them: J = shared / (600 - shared). */
    private static Set<String>[] pair(int shared) {
        Set<String> a = new HashSet<>();
        Set<String> b = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            a.add("e" + i);
            b.add("e" + (i < shared ? i : 1000 + i));
        }
        @SuppressWarnings("unchecked")
        Set<String>[] out = new Set[] {a, b};
        return out;
    }

    @Test
    void estimateIsWithinTheHoeffdingBoundOfAKnownJaccard() {
        MinHash mh = new MinHash(256, 5, 7);
        double eps = mh.errorBound(1e-6);
        for (int shared : new int[] {0, 60, 150, 200, 300}) {
            Set<String>[] p = pair(shared);
            double exact = shared / (600.0 - shared);
            assertEquals(exact, MinHash.jaccard(p[0], p[1]), 1e-12);
            double est = MinHash.estimate(mh.signature(p[0]), mh.signature(p[1]));
            assertEquals(exact, est, eps, "shared " + shared);
        }
    }

    @Test
    void estimateIsUnbiasedOverManyHashSeeds() {
        Set<String>[] p = pair(200); // J = 0.5
        double sum = 0;
        int runs = 200;
        for (int seed = 0; seed < runs; seed++) {
            MinHash mh = new MinHash(32, 5, seed);
            sum += MinHash.estimate(mh.signature(p[0]), mh.signature(p[1]));
        }
        // mean of 200 * 32 Bernoulli(0.5) draws: standard deviation 0.5 / sqrt(6400) = 0.00625
        assertEquals(0.5, sum / runs, 4 * 0.00625);
    }

    @Test
    void shinglesAndIdenticalTexts() {
        MinHash mh = new MinHash(64, 3, 1);
        assertEquals(Set.of("abc", "bcd"), mh.shingles("abcd"));
        assertEquals(Set.of("ab"), mh.shingles("ab"));
        assertEquals(1.0, MinHash.estimate(mh.signature("reverse the word"), mh.signature("reverse the word")));
        double near = MinHash.estimate(mh.signature("Reverse the word: castle"), mh.signature("Reverse the word: castles"));
        double far = MinHash.estimate(mh.signature("Reverse the word: castle"), mh.signature("Add 12 and 30"));
        assertTrue(near > 0.7 && far < 0.2, near + " " + far);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new MinHash(0, 3, 1));
        MinHash mh = new MinHash(4, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MinHash.estimate(new long[4], new long[5]));
        assertTrue(e.getMessage().contains("MinHash.estimate"));
        assertThrows(IllegalArgumentException.class, () -> mh.signature(Set.of()));
    }
}
