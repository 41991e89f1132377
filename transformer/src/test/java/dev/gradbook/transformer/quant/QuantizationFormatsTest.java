package dev.gradbook.transformer.quant;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizationFormatsTest {
    /** The NF4 table as published with QLoRA (bitsandbytes' NF4 code book). */
    private static final double[] PUBLISHED_NF4 = {
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
        -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
        0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
        0.7229568362236023, 1.0,
    };

    /** Normal weights with one outlier row and one row of zeros. */
    private static Tensor weights(int rows, int cols) {
        Tensor w = Tensor.randn(new Rng(5), rows, cols).mul(0.02f);
        w.setInPlace(0.5f, 1, 2);
        for (int j = 0; j < cols; j++) {
            w.setInPlace(0f, rows - 1, j);
        }
        return w;
    }

    @Test
    void int8CodesAndScalesByHand() {
        // row 0: absmax 1.27 -> scale 0.01 -> codes 50, -127, 1;  row 1: absmax 2.54 -> scale 0.02
        Tensor w = Tensor.of(new float[][] {{0.5f, -1.27f, 0.01f}, {2.54f, 0.03f, -0.011f}});
        Int8Weight q = Int8Weight.quantize(w);
        assertEquals(0.01f, q.scale(0), 1e-8);
        assertEquals(0.02f, q.scale(1), 1e-8);
        assertArrayEquals(new int[] {50, -127, 1, 127, 2, -1},
                new int[] {q.code(0, 0), q.code(0, 1), q.code(0, 2), q.code(1, 0), q.code(1, 1), q.code(1, 2)});
        // 0.03 / 0.02 = 1.5 rounds up to 2; -0.011 / 0.02 = -0.55 rounds to -1
        assertEquals(6 + 2 * 4, q.bytes());
    }

    @Test
    void int8ErrorIsAtMostHalfAStepPerRow() {
        Tensor w = weights(9, 40);
        Int8Weight q = Int8Weight.quantize(w);
        Tensor d = q.dequantize();
        for (int i = 0; i < 9; i++) {
            int maxCode = 0;
            for (int j = 0; j < 40; j++) {
                float err = Math.abs(w.get(i, j) - d.get(i, j));
                assertTrue(err <= q.scale(i) / 2 * (1 + 1e-5f), "row " + i + " col " + j + ": error " + err);
                maxCode = Math.max(maxCode, Math.abs(q.code(i, j)));
            }
            assertEquals(i == 8 ? 0 : 127, maxCode, "the largest |w| of a row maps to +-127");
        }
    }

    @Test
    void nf4LevelsAreTheNormalQuantilesOfThePaper() {
        assertEquals(0.9750021048517795, NormalFloat4.normalCdf(1.96), 1e-12);
        assertEquals(1.959963984540054, NormalFloat4.normalQuantile(0.975), 1e-10);
        for (int i = 0; i < 16; i++) {
            assertEquals(PUBLISHED_NF4[i], NormalFloat4.LEVELS[i], 1e-6, "level " + i);
        }
        assertEquals(0f, NormalFloat4.LEVELS[7]);
        // the widest gap is the outermost on the negative side, -1 to -0.696
        assertEquals(1 - 0.6961928, NormalFloat4.largestGap(), 1e-6);
    }

    @Test
    void nf4RoundsToTheNearestLevelWithinTheBlockBound() {
        Tensor w = weights(13, 10); // 130 values: blocks of 64, 64 and a partial block of 2
        Nf4Weight q = Nf4Weight.quantize(w);
        Tensor d = q.dequantize();
        float halfGap = NormalFloat4.largestGap() / 2;
        for (int i = 0; i < 13; i++) {
            for (int j = 0; j < 10; j++) {
                float c = q.blockScale(i, j);
                float x = w.get(i, j);
                float err = Math.abs(x - d.get(i, j));
                assertTrue(err <= c * halfGap * (1 + 1e-5f), "(" + i + ", " + j + ") error " + err);
                // brute force: no level is nearer than the chosen one
                for (float level : NormalFloat4.LEVELS) {
                    assertTrue(err <= Math.abs(x - level * c) + 1e-7f);
                }
            }
        }
        // the block holding the outlier 0.5 (element 12, block 0) has scale 0.5; the last block only zeros
        assertEquals(0.5f, q.blockScale(0, 0));
        assertEquals(0f, d.get(12, 9));
        assertEquals(65 + 4 * 3, q.bytes());
    }

    @Test
    void packingRoundTripsAndPutsTheFirstCodeHigh() {
        assertArrayEquals(new byte[] {(byte) 0x1F, (byte) 0x20}, Nf4Weight.pack(new int[] {1, 15, 2}));
        Rng rng = new Rng(3);
        int[] codes = new int[257];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = rng.nextInt(16);
        }
        byte[] packed = Nf4Weight.pack(codes);
        assertEquals(129, packed.length);
        assertArrayEquals(codes, Nf4Weight.unpack(packed, codes.length));
    }

    @Test
    void bytesByHand() {
        // 4 x 64: int8 256 codes + 4 row scales; nf4 128 bytes of codes + 4 block scales
        assertEquals(256 + 16, Int8Weight.bytesFor(4, 64));
        assertEquals(128 + 16, Nf4Weight.bytesFor(4, 64, 64));
        assertEquals(4 + 8, Nf4Weight.bytesFor(1, 7, 4)); // 7 codes -> 4 bytes, 2 blocks
    }
}
