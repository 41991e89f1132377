package dev.gradbook.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The register transpose used to pack a transposed B, on its own: easier to read when it breaks. */
class Transpose16Test {

    @Test
    void transposesOneBlockInsideLargerArrays() {
        assumeTrue(Kernels.simdAvailable() && Transpose16.WORKS, "needs 16-lane vectors");
        int ld = 37;
        int width = 48;
        int from = 5;
        int to = 16;
        float[] src = new float[from + 16 * ld];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        float[] dst = new float[to + 16 * width + 1];
        dst[dst.length - 1] = -1;

        Transpose16.block(src, from, ld, dst, to, width);

        for (int p = 0; p < 16; p++) {
            for (int i = 0; i < 16; i++) {
                assertEquals(src[from + i * ld + p], dst[to + p * width + i], "row " + p + ", lane " + i);
            }
            for (int i = 16; i < width && p < 15; i++) {
                assertEquals(0f, dst[to + p * width + i], "outside the block at row " + p + ", lane " + i);
            }
        }
        assertEquals(-1f, dst[dst.length - 1]);
    }
}
