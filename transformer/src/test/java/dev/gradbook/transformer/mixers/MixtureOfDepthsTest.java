package dev.gradbook.transformer.mixers;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.gpt.Block;
import dev.gradbook.transformer.gpt.GptConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureOfDepthsTest {
    private static Block block(int c) {
        return new Block(GptConfig.tiny(10).withNEmbd(c).withNHead(2).withBlockSize(16).withNLayer(1)
                .withDropout(0f), new Rng(4));
    }

    @Test
    void fullCapacityWithRouterWeightOneIsThePlainBlock() {
        Block plain = block(8);
        MixtureOfDepthsBlock mod = new MixtureOfDepthsBlock(plain, 8, 1.0, false, new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), 2, 7, 8);
        assertTrue(mod.forward(x).allClose(plain.forward(x), 1e-5f, 1e-6f));
    }

    @Test
    void tokensNotRoutedPassThroughUnchangedAndRoutedOnesChange() {
        MixtureOfDepthsBlock mod = new MixtureOfDepthsBlock(block(8), 8, 0.25, true, new Rng(5));
        Tensor x = Tensor.randn(new Rng(7), 1, 8, 8);
        Tensor y = mod.forward(x);
        // which tokens are routed, recomputed independently from the router weights in doubles
        Tensor w = mod.parameters().stream().filter(p -> p.shape().length == 2 && p.size(0) == 1).findFirst().orElseThrow();
        double[] score = new double[8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                score[i] += w.get(0, j) * x.get(0, i, j);
            }
        }
        int routed = 0;
        for (int i = 0; i < 8; i++) {
            int above = 0;
            for (int q = 0; q < 8; q++) {
                if (score[q] > score[i]) {
                    above++;
                }
            }
            boolean chosen = above < 2;                                   // k = round(0.25 * 8) = 2
            double change = 0;
            for (int j = 0; j < 8; j++) {
                change = Math.max(change, Math.abs(y.get(0, i, j) - x.get(0, i, j)));
            }
            if (chosen) {
                routed++;
                assertTrue(change > 1e-4, "routed token " + i + " should change");
            } else {
                assertEquals(0.0, change, 0.0, "token " + i + " was not routed and must pass through");
            }
        }
        assertEquals(2, routed);
    }

    @Test
    void topKKeepsSequenceOrder() {
        Tensor s = Tensor.of(new float[] {0.1f, 3f, -1f, 2f, 5f}, 5, 1);
        assertArrayEquals(new int[] {1, 4}, MixtureOfDepthsBlock.topKInOrder(s, 2));
    }

    @Test
    void gradientsFlowThroughTheRouterAndTheBlock() {
        MixtureOfDepthsBlock mod = new MixtureOfDepthsBlock(block(4), 4, 0.5, true, new Rng(8));
        Tensor x = Tensor.randn(new Rng(9), 1, 4, 4);
        Tensor w = mod.parameters().stream().filter(p -> p.shape().length == 2 && p.size(0) == 1).findFirst().orElseThrow();
        GradCheck.Report rw = GradCheck.check(in -> mod.forward(x.detach()), 1e-3, 3e-2, 2e-3, w);
        assertTrue(rw.passed(), rw.toString());
        GradCheck.Report rx = GradCheck.check(in -> mod.forward(in[0]), 1e-3, 3e-2, 2e-3, x);
        assertTrue(rx.passed(), rx.toString());
    }

    @Test
    void rejectsABadCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new MixtureOfDepthsBlock(block(4), 4, 0.0, true, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> new MixtureOfDepthsBlock(block(4), 4, 1.5, true, new Rng(1)));
    }
}
