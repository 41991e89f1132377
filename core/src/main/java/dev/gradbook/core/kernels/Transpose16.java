package dev.gradbook.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes a 16 x 16 block of floats in vector registers, for packing a transposed {@code B}
 * (see {@link Packing}): about four times faster than copying element by element, because the
 * element copies either read or write with a stride.
 *
 * <p>Four butterfly rounds, each swapping blocks of lanes between pairs of rows: round {@code d}
 * (d = 8, 4, 2, 1) pairs row {@code i} with row {@code i+d} (for {@code i} with bit {@code d}
 * clear) and swaps the upper {@code d}-lane half of every {@code 2d}-lane group of row {@code i}
 * with the lower half of the same group of row {@code i+d}. After the four rounds lane {@code p} of
 * row {@code i} holds the original lane {@code i} of row {@code p}:
 * <pre>
 *   row i   = x:  [x0 x1 | x2 x3]            [x0 y0 | x2 y2]       (d = 1, 4 lanes shown)
 *   row i+d = y:  [y0 y1 | y2 y3]    -->     [x1 y1 | x3 y3]
 * </pre>
 * Each half-swap is one single-vector {@code rearrange} and one {@code blend}: on JDK 17 these
 * compile to shuffles, whereas the two-vector {@code rearrange} does not and is ten times slower.
 * The 64 half-swaps are written out: behind a helper method they exhausted C2's inlining budget,
 * the vectors were boxed, and packing became three times slower than plain copying.
 * Only for 16-lane vectors (AVX-512); {@link #WORKS} says whether they are.
 */
final class Transpose16 {

    static final int SIZE = 16;
    /** Whether the preferred vectors have 16 float lanes; otherwise packing copies elements. */
    static final boolean WORKS = MicroTiles.LANES == SIZE;

    private static final VectorSpecies<Float> S = MicroTiles.SPECIES;
    // For round d: UP moves lane l-d to lane l, DOWN moves lane l+d to lane l, MASK marks the
    // lanes with bit d set (the upper half of each 2d-lane group).
    private static final VectorShuffle<Float> UP8 = shuffle(8, -8);
    private static final VectorShuffle<Float> UP4 = shuffle(4, -4);
    private static final VectorShuffle<Float> UP2 = shuffle(2, -2);
    private static final VectorShuffle<Float> UP1 = shuffle(1, -1);
    private static final VectorShuffle<Float> DOWN8 = shuffle(8, 8);
    private static final VectorShuffle<Float> DOWN4 = shuffle(4, 4);
    private static final VectorShuffle<Float> DOWN2 = shuffle(2, 2);
    private static final VectorShuffle<Float> DOWN1 = shuffle(1, 1);
    private static final VectorMask<Float> MASK8 = mask(8);
    private static final VectorMask<Float> MASK4 = mask(4);
    private static final VectorMask<Float> MASK2 = mask(2);
    private static final VectorMask<Float> MASK1 = mask(1);

    private Transpose16() {
    }

    /** {@code dst[to + p*width + i] = src[from + i*ld + p]} for {@code i, p < 16}. */
    static void block(float[] src, int from, int ld, float[] dst, int to, int width) {
        FloatVector r0 = row(src, from, ld, 0), r1 = row(src, from, ld, 1);
        FloatVector r2 = row(src, from, ld, 2), r3 = row(src, from, ld, 3);
        FloatVector r4 = row(src, from, ld, 4), r5 = row(src, from, ld, 5);
        FloatVector r6 = row(src, from, ld, 6), r7 = row(src, from, ld, 7);
        FloatVector r8 = row(src, from, ld, 8), r9 = row(src, from, ld, 9);
        FloatVector r10 = row(src, from, ld, 10), r11 = row(src, from, ld, 11);
        FloatVector r12 = row(src, from, ld, 12), r13 = row(src, from, ld, 13);
        FloatVector r14 = row(src, from, ld, 14), r15 = row(src, from, ld, 15);
        // d = 8: rows i, i+8 for i = 0..7
        FloatVector s0 = r0.blend(r8.rearrange(UP8), MASK8), s8 = r0.rearrange(DOWN8).blend(r8, MASK8);
        FloatVector s1 = r1.blend(r9.rearrange(UP8), MASK8), s9 = r1.rearrange(DOWN8).blend(r9, MASK8);
        FloatVector s2 = r2.blend(r10.rearrange(UP8), MASK8), s10 = r2.rearrange(DOWN8).blend(r10, MASK8);
        FloatVector s3 = r3.blend(r11.rearrange(UP8), MASK8), s11 = r3.rearrange(DOWN8).blend(r11, MASK8);
        FloatVector s4 = r4.blend(r12.rearrange(UP8), MASK8), s12 = r4.rearrange(DOWN8).blend(r12, MASK8);
        FloatVector s5 = r5.blend(r13.rearrange(UP8), MASK8), s13 = r5.rearrange(DOWN8).blend(r13, MASK8);
        FloatVector s6 = r6.blend(r14.rearrange(UP8), MASK8), s14 = r6.rearrange(DOWN8).blend(r14, MASK8);
        FloatVector s7 = r7.blend(r15.rearrange(UP8), MASK8), s15 = r7.rearrange(DOWN8).blend(r15, MASK8);
        // d = 4: rows i, i+4 for i = 0..3, 8..11
        FloatVector t0 = s0.blend(s4.rearrange(UP4), MASK4), t4 = s0.rearrange(DOWN4).blend(s4, MASK4);
        FloatVector t1 = s1.blend(s5.rearrange(UP4), MASK4), t5 = s1.rearrange(DOWN4).blend(s5, MASK4);
        FloatVector t2 = s2.blend(s6.rearrange(UP4), MASK4), t6 = s2.rearrange(DOWN4).blend(s6, MASK4);
        FloatVector t3 = s3.blend(s7.rearrange(UP4), MASK4), t7 = s3.rearrange(DOWN4).blend(s7, MASK4);
        FloatVector t8 = s8.blend(s12.rearrange(UP4), MASK4), t12 = s8.rearrange(DOWN4).blend(s12, MASK4);
        FloatVector t9 = s9.blend(s13.rearrange(UP4), MASK4), t13 = s9.rearrange(DOWN4).blend(s13, MASK4);
        FloatVector t10 = s10.blend(s14.rearrange(UP4), MASK4), t14 = s10.rearrange(DOWN4).blend(s14, MASK4);
        FloatVector t11 = s11.blend(s15.rearrange(UP4), MASK4), t15 = s11.rearrange(DOWN4).blend(s15, MASK4);
        // d = 2: rows i, i+2 for i = 0, 1, 4, 5, 8, 9, 12, 13
        FloatVector u0 = t0.blend(t2.rearrange(UP2), MASK2), u2 = t0.rearrange(DOWN2).blend(t2, MASK2);
        FloatVector u1 = t1.blend(t3.rearrange(UP2), MASK2), u3 = t1.rearrange(DOWN2).blend(t3, MASK2);
        FloatVector u4 = t4.blend(t6.rearrange(UP2), MASK2), u6 = t4.rearrange(DOWN2).blend(t6, MASK2);
        FloatVector u5 = t5.blend(t7.rearrange(UP2), MASK2), u7 = t5.rearrange(DOWN2).blend(t7, MASK2);
        FloatVector u8 = t8.blend(t10.rearrange(UP2), MASK2), u10 = t8.rearrange(DOWN2).blend(t10, MASK2);
        FloatVector u9 = t9.blend(t11.rearrange(UP2), MASK2), u11 = t9.rearrange(DOWN2).blend(t11, MASK2);
        FloatVector u12 = t12.blend(t14.rearrange(UP2), MASK2), u14 = t12.rearrange(DOWN2).blend(t14, MASK2);
        FloatVector u13 = t13.blend(t15.rearrange(UP2), MASK2), u15 = t13.rearrange(DOWN2).blend(t15, MASK2);
        // d = 1: rows i, i+1 for even i; then store row p of the transpose
        u0.blend(u1.rearrange(UP1), MASK1).intoArray(dst, to);
        u0.rearrange(DOWN1).blend(u1, MASK1).intoArray(dst, to + width);
        u2.blend(u3.rearrange(UP1), MASK1).intoArray(dst, to + 2 * width);
        u2.rearrange(DOWN1).blend(u3, MASK1).intoArray(dst, to + 3 * width);
        u4.blend(u5.rearrange(UP1), MASK1).intoArray(dst, to + 4 * width);
        u4.rearrange(DOWN1).blend(u5, MASK1).intoArray(dst, to + 5 * width);
        u6.blend(u7.rearrange(UP1), MASK1).intoArray(dst, to + 6 * width);
        u6.rearrange(DOWN1).blend(u7, MASK1).intoArray(dst, to + 7 * width);
        u8.blend(u9.rearrange(UP1), MASK1).intoArray(dst, to + 8 * width);
        u8.rearrange(DOWN1).blend(u9, MASK1).intoArray(dst, to + 9 * width);
        u10.blend(u11.rearrange(UP1), MASK1).intoArray(dst, to + 10 * width);
        u10.rearrange(DOWN1).blend(u11, MASK1).intoArray(dst, to + 11 * width);
        u12.blend(u13.rearrange(UP1), MASK1).intoArray(dst, to + 12 * width);
        u12.rearrange(DOWN1).blend(u13, MASK1).intoArray(dst, to + 13 * width);
        u14.blend(u15.rearrange(UP1), MASK1).intoArray(dst, to + 14 * width);
        u14.rearrange(DOWN1).blend(u15, MASK1).intoArray(dst, to + 15 * width);
    }

    private static FloatVector row(float[] src, int from, int ld, int i) {
        return FloatVector.fromArray(S, src, from + i * ld);
    }

    /** Lane l takes lane l + shift in the lanes that need it (bit d set for UP, clear for DOWN). */
    private static VectorShuffle<Float> shuffle(int d, int shift) {
        int[] source = new int[S.length()];
        for (int l = 0; l < source.length; l++) {
            boolean upper = (l & d) != 0;
            source[l] = upper == (shift < 0) ? l + shift : l;
        }
        return VectorShuffle.fromArray(S, source, 0);
    }

    private static VectorMask<Float> mask(int d) {
        boolean[] upper = new boolean[S.length()];
        for (int l = 0; l < upper.length; l++) {
            upper[l] = (l & d) != 0;
        }
        return VectorMask.fromArray(S, upper, 0);
    }
}
