package dev.gradbook.transformer.gpt;

import dev.gradbook.core.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SamplerTest {
    private static final float[] LOGITS = {1f, 3f, 0f, 2f, -1f};

    /** softmax(logits / tau) by hand. */
    private static double[] softmax(float[] logits, double tau) {
        double[] p = new double[logits.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] / tau);
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    @Test
    void greedyTakesTheLargestLogit() {
        assertEquals(1, Sampler.greedy().sample(LOGITS, new Rng(0)));
        assertEquals(1, Sampler.topK(1f, 1).sample(LOGITS, new Rng(0)));
        assertEquals(1, Sampler.topP(1f, 0.01f).sample(LOGITS, new Rng(0)));
    }

    @Test
    void temperatureScalesTheLogits() {
        assertArrayEquals(softmax(LOGITS, 0.5), Sampler.temperature(0.5f).probabilities(LOGITS), 1e-12);
    }

    @Test
    void topKKeepsTheKLargest() {
        double[] p = Sampler.topK(1f, 2).probabilities(LOGITS);
        double a = Math.exp(3);
        double b = Math.exp(2);
        assertArrayEquals(new double[] {0, a / (a + b), 0, b / (a + b), 0}, p, 1e-12);
    }

    @Test
    void topPKeepsTheSmallestSetReachingTheMass() {
        double[] full = softmax(LOGITS, 1);   // sorted: id 1 (0.636), id 3 (0.234), id 0 (0.086), ...
        double[] p = Sampler.topP(1f, 0.8f).probabilities(LOGITS);
        double kept = full[1] + full[3];      // 0.87 >= 0.8 after two tokens
        assertArrayEquals(new double[] {0, full[1] / kept, 0, full[3] / kept, 0}, p, 1e-12);
        double[] three = Sampler.topP(1f, 0.88f).probabilities(LOGITS);
        assertEquals(full[0] / (kept + full[0]), three[0], 1e-12);
    }

    @Test
    void samplingFrequenciesFollowTheProbabilities() {
        Sampler sampler = Sampler.topK(0.8f, 3);
        double[] p = sampler.probabilities(LOGITS);
        int[] counts = new int[LOGITS.length];
        Rng rng = new Rng(42);
        int n = 20000;
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(LOGITS, rng)]++;
        }
        for (int i = 0; i < LOGITS.length; i++) {
            double sd = Math.sqrt(n * p[i] * (1 - p[i]));
            assertEquals(n * p[i], counts[i], 4 * sd + 1, "token " + i);
        }
        assertEquals(0, counts[2] + counts[4]);   // outside the top 3
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sampler(-1f, 0, 1f));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(1f, -1, 1f));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(1f, 0, 0f));
    }
}
