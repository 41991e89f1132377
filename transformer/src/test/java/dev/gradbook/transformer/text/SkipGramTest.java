package dev.gradbook.transformer.text;

import dev.gradbook.core.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SkipGramTest {
    private static final SkipGram.Config SMALL = new SkipGram.Config(8, 2, 3, 0.05f, 1, 0, 1);

    /** The pair loss, computed again from the formula in doubles. */
    private static double loss(SkipGram m, int center, int context, int[] noise, int d) {
        double total = 0;
        for (int k = -1; k < noise.length; k++) {
            int target = k < 0 ? context : noise[k];
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += (double) m.in[center * d + j] * m.out[target * d + j];
            }
            total -= Math.log(1 / (1 + Math.exp(k < 0 ? -dot : dot)));
        }
        return total;
    }

    @Test
    void theHandWrittenStepFollowsTheFiniteDifferenceGradient() {
        SkipGram m = new SkipGram(List.of("a", "b", "c", "d", "e", "a", "b"), SMALL, new Rng(5));
        Rng rng = new Rng(6);
        for (int i = 0; i < m.out.length; i++) {
            m.out[i] = (rng.nextFloat() - 0.5f);             // non-zero output vectors, so every gradient is non-zero
        }
        int d = 8;
        int center = 0;
        int context = 2;
        int[] noise = {3, 4, 3};
        float[] in0 = m.in.clone();
        float[] out0 = m.out.clone();
        double eps = 1e-3;
        double[] numeric = new double[m.in.length + m.out.length];
        for (int p = 0; p < numeric.length; p++) {
            float[] arr = p < m.in.length ? m.in : m.out;
            int i = p < m.in.length ? p : p - m.in.length;
            float keep = arr[i];
            arr[i] = (float) (keep + eps);
            double up = loss(m, center, context, noise, d);
            arr[i] = (float) (keep - eps);
            double down = loss(m, center, context, noise, d);
            arr[i] = keep;
            numeric[p] = (up - down) / (2 * eps);
        }
        float lr = 1e-3f;
        double before = loss(m, center, context, noise, d);
        assertEquals(before, m.update(center, context, noise, lr), 1e-5, "update returns the loss before the step");
        // the step is -lr times the gradient, for every parameter (noise word 3 appears twice: its gradients add)
        for (int p = 0; p < numeric.length; p++) {
            double step = p < m.in.length ? m.in[p] - in0[p] : m.out[p - m.in.length] - out0[p - m.in.length];
            assertEquals(-lr * numeric[p], step, 2e-6, "parameter " + p);
        }
        assertTrue(loss(m, center, context, noise, d) < before, "a small step lowers the loss");
    }

    @Test
    void wordsSharingContextsEndUpNeighbours() {
        // two "topics": animals appear between the same words, and so do colours
        Rng rng = new Rng(11);
        List<String> text = new ArrayList<>();
        String[] animals = {"cat", "dog", "cow", "pig"};
        String[] colours = {"red", "blue", "green", "pink"};
        for (int i = 0; i < 3000; i++) {
            boolean animal = rng.nextInt(2) == 0;
            String[] topic = animal ? animals : colours;
            text.addAll(List.of(animal ? "the" : "a", topic[rng.nextInt(4)], animal ? "runs" : "shines",
                    animal ? "fast" : "bright"));
        }
        SkipGram m = new SkipGram(text, new SkipGram.Config(16, 2, 5, 0.05f, 3, 0, 1), new Rng(3));
        double lastLoss = m.train(text, new Rng(4), null);
        // at the start every sigma is 1/2: 6 ln 2 = 4.16 per pair (one true word, five noise words)
        assertTrue(lastLoss < 0.7 * 6 * Math.log(2), "loss " + lastLoss);
        WordVectors v = m.vectors();
        for (String a : animals) {
            String nearestTopicWord = v.nearest(a, 8).stream().map(WordVectors.Neighbour::word)
                    .filter(w -> List.of(animals).contains(w) || List.of(colours).contains(w)).findFirst().orElseThrow();
            assertTrue(List.of(animals).contains(nearestTopicWord), a + " is nearest " + nearestTopicWord);
        }
    }

    @Test
    void badConfigurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SkipGram.Config(0, 2, 3, 0.05f, 1, 0, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> new SkipGram(List.of("a"),
                new SkipGram.Config(4, 2, 3, 0.05f, 1, 0, 5), new Rng(1)));
        assertTrue(e.getMessage().contains("5 times"), e.getMessage());
    }
}
