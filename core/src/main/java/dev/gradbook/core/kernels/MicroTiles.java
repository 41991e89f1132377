package dev.gradbook.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link SimdKernel}: each updates a small block of {@code C} held in vector
 * registers with a run of rank-1 updates:
 * <pre>
 *   for p in 0 until kc:                      // one step of the inner dimension
 *       C[r, :] += A[r, p] * B[p, :]          // r = 0..5 (or 0); B[p, :] is 1, 2 or 3 vectors
 * </pre>
 * The operands are addressed by strides, so that the same tile reads packed panels (see
 * {@link Packing}) or a matrix in place: {@code A[r, p] = a[aAt + r*aLine + p*aStep]} and
 * {@code B[p, j] = b[bAt + p*bStep + j]}, with the columns {@code j} contiguous.
 *
 * <p>Every accumulator is its own local so that the JIT keeps all of them in registers:
 * 6 x 3 = 18 vectors of {@code C}, plus 3 of {@code B} and one broadcast of {@code A}, fit the 32
 * registers of AVX-512 with room to spare. Per step the big tile issues 18 fused multiply-adds
 * against 3 vector loads and 6 broadcasts, which keeps the FMA units, not the loads, busy.
 *
 * <p>{@code load == false} starts from zero instead of reading {@code C}, so that garbage in an
 * output that is being overwritten never leaks in (not even a {@code NaN}).
 *
 * <p>Modified: {@code c} in the tile. Not modified: {@code a}, {@code b}.
 */
final class MicroTiles {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = SPECIES.length();

    private MicroTiles() {
    }

    /**
     * {@code C[0:6, 0:3*LANES] (+)= A[0:6, 0:kc] * B[0:kc, 0:3*LANES]}, with {@code C[r, j]} at
     * {@code c[cAt + r*ldc + j]}.
     */
    static void tile6x3(int kc, float[] a, int aAt, int aLine, int aStep, float[] b, int bAt, int bStep,
                        float[] c, int cAt, int ldc, boolean load) {
        final int l1 = LANES;
        final int l2 = 2 * LANES;
        int a1 = aLine;
        int a2 = 2 * aLine;
        int a3 = 3 * aLine;
        int a4 = 4 * aLine;
        int a5 = 5 * aLine;
        int c0 = cAt;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector c00 = start(c, c0, load), c01 = start(c, c0 + l1, load), c02 = start(c, c0 + l2, load);
        FloatVector c10 = start(c, c1, load), c11 = start(c, c1 + l1, load), c12 = start(c, c1 + l2, load);
        FloatVector c20 = start(c, c2, load), c21 = start(c, c2 + l1, load), c22 = start(c, c2 + l2, load);
        FloatVector c30 = start(c, c3, load), c31 = start(c, c3 + l1, load), c32 = start(c, c3 + l2, load);
        FloatVector c40 = start(c, c4, load), c41 = start(c, c4 + l1, load), c42 = start(c, c4 + l2, load);
        FloatVector c50 = start(c, c5, load), c51 = start(c, c5 + l1, load), c52 = start(c, c5 + l2, load);
        for (int p = 0, ai = aAt, bi = bAt; p < kc; p++, ai += aStep, bi += bStep) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + l1);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + l2);
            FloatVector ar = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = ar.fma(b0, c00); c01 = ar.fma(b1, c01); c02 = ar.fma(b2, c02);
            ar = FloatVector.broadcast(SPECIES, a[ai + a1]);
            c10 = ar.fma(b0, c10); c11 = ar.fma(b1, c11); c12 = ar.fma(b2, c12);
            ar = FloatVector.broadcast(SPECIES, a[ai + a2]);
            c20 = ar.fma(b0, c20); c21 = ar.fma(b1, c21); c22 = ar.fma(b2, c22);
            ar = FloatVector.broadcast(SPECIES, a[ai + a3]);
            c30 = ar.fma(b0, c30); c31 = ar.fma(b1, c31); c32 = ar.fma(b2, c32);
            ar = FloatVector.broadcast(SPECIES, a[ai + a4]);
            c40 = ar.fma(b0, c40); c41 = ar.fma(b1, c41); c42 = ar.fma(b2, c42);
            ar = FloatVector.broadcast(SPECIES, a[ai + a5]);
            c50 = ar.fma(b0, c50); c51 = ar.fma(b1, c51); c52 = ar.fma(b2, c52);
        }
        c00.intoArray(c, c0); c01.intoArray(c, c0 + l1); c02.intoArray(c, c0 + l2);
        c10.intoArray(c, c1); c11.intoArray(c, c1 + l1); c12.intoArray(c, c1 + l2);
        c20.intoArray(c, c2); c21.intoArray(c, c2 + l1); c22.intoArray(c, c2 + l2);
        c30.intoArray(c, c3); c31.intoArray(c, c3 + l1); c32.intoArray(c, c3 + l2);
        c40.intoArray(c, c4); c41.intoArray(c, c4 + l1); c42.intoArray(c, c4 + l2);
        c50.intoArray(c, c5); c51.intoArray(c, c5 + l1); c52.intoArray(c, c5 + l2);
    }

    /**
     * As {@link #tile6x3} for a panel of {@code B} two vectors wide: the right edge of a product
     * 32 columns past a multiple of 48 (128, 512 and 32 itself with AVX-512), where two one-vector
     * panels would broadcast every element of {@code A} twice.
     */
    static void tile6x2(int kc, float[] a, int aAt, int aLine, int aStep, float[] b, int bAt, int bStep,
                        float[] c, int cAt, int ldc, boolean load) {
        final int l1 = LANES;
        int a1 = aLine;
        int a2 = 2 * aLine;
        int a3 = 3 * aLine;
        int a4 = 4 * aLine;
        int a5 = 5 * aLine;
        int c0 = cAt;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector c00 = start(c, c0, load), c01 = start(c, c0 + l1, load);
        FloatVector c10 = start(c, c1, load), c11 = start(c, c1 + l1, load);
        FloatVector c20 = start(c, c2, load), c21 = start(c, c2 + l1, load);
        FloatVector c30 = start(c, c3, load), c31 = start(c, c3 + l1, load);
        FloatVector c40 = start(c, c4, load), c41 = start(c, c4 + l1, load);
        FloatVector c50 = start(c, c5, load), c51 = start(c, c5 + l1, load);
        for (int p = 0, ai = aAt, bi = bAt; p < kc; p++, ai += aStep, bi += bStep) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + l1);
            FloatVector ar = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = ar.fma(b0, c00); c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(SPECIES, a[ai + a1]);
            c10 = ar.fma(b0, c10); c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(SPECIES, a[ai + a2]);
            c20 = ar.fma(b0, c20); c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(SPECIES, a[ai + a3]);
            c30 = ar.fma(b0, c30); c31 = ar.fma(b1, c31);
            ar = FloatVector.broadcast(SPECIES, a[ai + a4]);
            c40 = ar.fma(b0, c40); c41 = ar.fma(b1, c41);
            ar = FloatVector.broadcast(SPECIES, a[ai + a5]);
            c50 = ar.fma(b0, c50); c51 = ar.fma(b1, c51);
        }
        c00.intoArray(c, c0); c01.intoArray(c, c0 + l1);
        c10.intoArray(c, c1); c11.intoArray(c, c1 + l1);
        c20.intoArray(c, c2); c21.intoArray(c, c2 + l1);
        c30.intoArray(c, c3); c31.intoArray(c, c3 + l1);
        c40.intoArray(c, c4); c41.intoArray(c, c4 + l1);
        c50.intoArray(c, c5); c51.intoArray(c, c5 + l1);
    }

    /** As {@link #tile6x3} for a panel of {@code B} one vector wide: the right edge of {@code C}. */
    static void tile6x1(int kc, float[] a, int aAt, int aLine, int aStep, float[] b, int bAt, int bStep,
                        float[] c, int cAt, int ldc, boolean load) {
        int a1 = aLine;
        int a2 = 2 * aLine;
        int a3 = 3 * aLine;
        int a4 = 4 * aLine;
        int a5 = 5 * aLine;
        int c0 = cAt;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector c00 = start(c, c0, load);
        FloatVector c10 = start(c, c1, load);
        FloatVector c20 = start(c, c2, load);
        FloatVector c30 = start(c, c3, load);
        FloatVector c40 = start(c, c4, load);
        FloatVector c50 = start(c, c5, load);
        for (int p = 0, ai = aAt, bi = bAt; p < kc; p++, ai += aStep, bi += bStep) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            c00 = FloatVector.broadcast(SPECIES, a[ai]).fma(b0, c00);
            c10 = FloatVector.broadcast(SPECIES, a[ai + a1]).fma(b0, c10);
            c20 = FloatVector.broadcast(SPECIES, a[ai + a2]).fma(b0, c20);
            c30 = FloatVector.broadcast(SPECIES, a[ai + a3]).fma(b0, c30);
            c40 = FloatVector.broadcast(SPECIES, a[ai + a4]).fma(b0, c40);
            c50 = FloatVector.broadcast(SPECIES, a[ai + a5]).fma(b0, c50);
        }
        c00.intoArray(c, c0);
        c10.intoArray(c, c1);
        c20.intoArray(c, c2);
        c30.intoArray(c, c3);
        c40.intoArray(c, c4);
        c50.intoArray(c, c5);
    }

    /**
     * {@code C[0, 0:3*LANES] (+)= A[0, 0:kc] * B[0:kc, 0:3*LANES]}: one row, for products with fewer
     * rows than a tile, where a 6-row tile would mostly compute padding. It streams {@code B}
     * and is limited by memory, not by the multiply-adds.
     */
    static void tile1x3(int kc, float[] a, int aAt, int aStep, float[] b, int bAt, int bStep,
                        float[] c, int cAt, boolean load) {
        final int l1 = LANES;
        final int l2 = 2 * LANES;
        FloatVector c0 = start(c, cAt, load);
        FloatVector c1 = start(c, cAt + l1, load);
        FloatVector c2 = start(c, cAt + l2, load);
        for (int p = 0, ai = aAt, bi = bAt; p < kc; p++, ai += aStep, bi += bStep) {
            FloatVector ar = FloatVector.broadcast(SPECIES, a[ai]);
            c0 = ar.fma(FloatVector.fromArray(SPECIES, b, bi), c0);
            c1 = ar.fma(FloatVector.fromArray(SPECIES, b, bi + l1), c1);
            c2 = ar.fma(FloatVector.fromArray(SPECIES, b, bi + l2), c2);
        }
        c0.intoArray(c, cAt);
        c1.intoArray(c, cAt + l1);
        c2.intoArray(c, cAt + l2);
    }

    /** As {@link #tile1x3} for a panel of {@code B} one vector wide. */
    static void tile1x1(int kc, float[] a, int aAt, int aStep, float[] b, int bAt, int bStep,
                        float[] c, int cAt, boolean load) {
        FloatVector c0 = start(c, cAt, load);
        for (int p = 0, ai = aAt, bi = bAt; p < kc; p++, ai += aStep, bi += bStep) {
            c0 = FloatVector.broadcast(SPECIES, a[ai]).fma(FloatVector.fromArray(SPECIES, b, bi), c0);
        }
        c0.intoArray(c, cAt);
    }

    private static FloatVector start(float[] c, int at, boolean load) {
        return load ? FloatVector.fromArray(SPECIES, c, at) : FloatVector.zero(SPECIES);
    }
}
