package dev.gradbook.transformer.vit;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VisionTransformerTest {
    @Test
    void patchesAreCutInRowMajorOrderChannelRowColumnWithin() {
        // (1, 2, 4, 6) image with value = c * 100 + y * 10 + x, patches of 2: a 2 x 3 grid of patches
        int c = 2;
        int h = 4;
        int w = 6;
        float[] v = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[(ch * h + y) * w + x] = ch * 100 + y * 10 + x;
                }
            }
        }
        PatchEmbedding pe = new PatchEmbedding(c, 2, 5, new Rng(1));
        Tensor p = pe.patches(Tensor.wrap(v, 1, c, h, w));
        assertArrayEquals(new int[] {1, 6, 8}, p.shape());
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 3; col++) {
                int i = 0;
                for (int ch = 0; ch < c; ch++) {
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            float expected = ch * 100 + (row * 2 + dy) * 10 + col * 2 + dx;
                            assertEquals(expected, p.get(0, row * 3 + col, i++), "patch " + row + "," + col);
                        }
                    }
                }
            }
        }
        assertArrayEquals(new int[] {1, 6, 5}, pe.forward(Tensor.wrap(v, 1, c, h, w)).shape());
    }

    @Test
    void patchEmbeddingGradientsMatchFiniteDifferences() {
        PatchEmbedding pe = new PatchEmbedding(1, 2, 3, new Rng(2));
        Tensor x = Tensor.randn(new Rng(3), 2, 1, 4, 4).requiresGrad(true);
        GradCheckCases.assertGradients("patch embedding", in -> pe.forward(in[0]), x);
    }

    @Test
    void vitClassifiesWholeImagesAndNamesBadShapes() {
        VisionTransformer vit = new VisionTransformer(8, 1, 4, 16, 1, 2, 3, new Rng(4));
        Tensor logits = vit.forward(Tensor.randn(new Rng(5), 2, 1, 8, 8));
        assertArrayEquals(new int[] {2, 3}, logits.shape());
        assertArrayEquals(new int[] {5, 16}, vit.positionEmbeddings().shape(), "4 patches + the class token");
        var e = assertThrows(IllegalArgumentException.class, () -> vit.forward(Tensor.zeros(2, 1, 7, 7)));
        assertTrue(e.getMessage().contains("(B, C, 8, 8)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VisionTransformer(10, 1, 4, 16, 1, 2, 3, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> new PatchEmbedding(1, 3, 4, new Rng(1)).patches(Tensor.zeros(1, 1, 4, 4)));
    }
}
