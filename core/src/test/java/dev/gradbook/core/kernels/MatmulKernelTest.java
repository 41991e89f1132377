package dev.gradbook.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel against a plain triple loop that accumulates in {@code double}, on awkward shapes,
 * all four transpose combinations, offsets, and accumulation on top of random values.
 */
class MatmulKernelTest {

    /** One product: op(A) is m x k, op(B) is k x n; the operands sit at the offsets in longer arrays. */
    record Case(int m, int n, int k, boolean transA, boolean transB, boolean accumulate,
                int aOffset, int bOffset, int cOffset) {
        @Override
        public String toString() {
            return m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "")
                    + (accumulate ? " +=" : "") + (aOffset + bOffset + cOffset > 0 ? " offsets" : "");
        }
    }

    /**
     * (m, n, k) of C = op(A) op(B); each runs with all transposes, with and without offsets and
     * accumulation. The SIMD kernel packs B when it is transposed or when m is large, and reads
     * it in place otherwise; it blocks k by 1024 and n by 1008.
     */
    private static final int[][] SHAPES = {
        {1, 1, 1},
        {7, 7, 7},
        {14, 50, 9},        // an edge of 2 rows, one full panel and 2 columns
        {33, 33, 33},
        {257, 257, 257},
        {5, 300, 17},
        {300, 5, 17},
        {64, 256, 784},     // an MLP layer on a batch of 64 MNIST images
        {64, 64, 32},       // one attention head: Q K^T
        {70, 80, 40},       // a panel of 3 vectors, then one of 2 (AVX-512)
        {700, 32, 64},      // B packed, a single 2-vector panel, 4 rows left
        {16, 128, 128},
        {6, 48, 256},       // exactly one register tile
        {13, 97, 2100},     // three k blocks
        {520, 70, 30},      // B packed even when not transposed
        {1, 300, 70},       // a vector-matrix product: one-row tiles
        {300, 1, 70},
        {1, 1, 3000},
        {2, 3, 1},
        {100, 2100, 20},    // three column blocks
        {0, 5, 3},
        {5, 0, 3},
        {4, 5, 0},
    };

    /** Reference results, shared by the kernels: the inputs of a case are the same every time. */
    private static final Map<Case, Reference> REFERENCES = new ConcurrentHashMap<>();

    /** Shapes bigger than this run only the variant that exercises the most: offsets and accumulation. */
    private static final long BIG = 5_000_000;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (int[] s : SHAPES) {
            boolean big = (long) s[0] * s[1] * s[2] > BIG;
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                all.add(Arguments.of(new Case(s[0], s[1], s[2], transA, transB, true, 3, 5, 7)));
                if (!big) {
                    all.add(Arguments.of(new Case(s[0], s[1], s[2], transA, transB, false, 0, 0, 0)));
                    all.add(Arguments.of(new Case(s[0], s[1], s[2], transA, transB, false, 1, 0, 2)));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "ejml {0}")
    @MethodSource("cases")
    void ejml(Case c) {
        check(new EjmlKernel(false), c);
    }

    @ParameterizedTest(name = "ejml-mt {0}")
    @MethodSource("cases")
    void ejmlMultithreaded(Case c) {
        check(new EjmlKernel(true, 0), c);
    }

    @ParameterizedTest(name = "simd(1) {0}")
    @MethodSource("cases")
    void simdOneThread(Case c) {
        assumeTrue(Kernels.simdAvailable(), "needs --add-modules jdk.incubator.vector");
        check(Kernels.simd(1), c);
    }

    @ParameterizedTest(name = "simd(2) {0}")
    @MethodSource("cases")
    void simdTwoThreads(Case c) {
        assumeTrue(Kernels.simdAvailable(), "needs --add-modules jdk.incubator.vector");
        check(new SimdKernel(2, 0), c);
    }

    /** Runs the case, compares C with the reference element by element, and checks nothing else changed. */
    static void check(MatmulKernel kernel, Case t) {
        Operands in = new Operands(t);
        float[] a = in.a.clone();
        float[] b = in.b.clone();
        float[] c = in.c.clone();
        kernel.gemm(t.m(), t.n(), t.k(), a, t.aOffset(), t.transA(), b, t.bOffset(), t.transB(),
                c, t.cOffset(), t.accumulate());
        assertArrayEquals(in.a, a, "A changed");
        assertArrayEquals(in.b, b, "B changed");
        Reference expected = REFERENCES.computeIfAbsent(t, Reference::new);
        for (int i = 0; i < c.length; i++) {
            int local = i - t.cOffset();
            if (local < 0 || local >= t.m() * t.n()) {
                assertEquals(in.c[i], c[i], "C changed outside its slice at " + i);
                continue;
            }
            double tolerance = 1e-5 * Math.sqrt(t.k() + 1) * expected.magnitude[local];
            if (!(Math.abs(c[i] - expected.sum[local]) <= tolerance)) {
                fail(kernel.name() + " " + t + ": C[" + local / t.n() + ", " + local % t.n() + "] = " + c[i]
                        + ", expected " + expected.sum[local] + " +- " + tolerance);
            }
        }
    }

    /** Random operands in arrays a few elements longer than needed; the seed depends only on the case. */
    private static final class Operands {
        final float[] a;
        final float[] b;
        final float[] c;

        Operands(Case t) {
            Random random = new Random(t.toString().hashCode());
            a = random(random, t.aOffset() + t.m() * t.k() + 4);
            b = random(random, t.bOffset() + t.k() * t.n() + 4);
            c = random(random, t.cOffset() + t.m() * t.n() + 4);
            if (!t.accumulate()) {
                // An overwritten C must never be read: a NaN would show through.
                Arrays.fill(c, t.cOffset(), t.cOffset() + t.m() * t.n(), Float.NaN);
            }
        }

        private static float[] random(Random random, int length) {
            float[] x = new float[length];
            for (int i = 0; i < length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
            return x;
        }
    }

    /** The triple loop in double: C's expected values and the sum of the absolute terms, for the tolerance. */
    private static final class Reference {
        final double[] sum;
        final double[] magnitude;

        Reference(Case t) {
            Operands in = new Operands(t);
            sum = new double[t.m() * t.n()];
            magnitude = new double[t.m() * t.n()];
            for (int i = 0; i < t.m(); i++) {
                for (int j = 0; j < t.n(); j++) {
                    double s = t.accumulate() ? in.c[t.cOffset() + i * t.n() + j] : 0;
                    double size = Math.abs(s);
                    for (int p = 0; p < t.k(); p++) {
                        double term = (double) opA(in.a, t, i, p) * opB(in.b, t, p, j);
                        s += term;
                        size += Math.abs(term);
                    }
                    sum[i * t.n() + j] = s;
                    magnitude[i * t.n() + j] = size;
                }
            }
        }
    }

    private static float opA(float[] a, Case t, int i, int p) {
        return t.transA() ? a[t.aOffset() + p * t.m() + i] : a[t.aOffset() + i * t.k() + p];
    }

    private static float opB(float[] b, Case t, int p, int j) {
        return t.transB() ? b[t.bOffset() + j * t.k() + p] : b[t.bOffset() + p * t.n() + j];
    }
}
