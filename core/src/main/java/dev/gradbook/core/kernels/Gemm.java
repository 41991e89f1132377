package dev.gradbook.core.kernels;

/**
 * One matrix product {@code C (+)= op(A) * op(B)} as the kernels see it: the three operands with
 * their offsets and explicit row strides ("leading dimensions" {@code lda, ldb, ldc}).
 *
 * <p>The public {@link MatmulKernel#gemm} call always has dense operands, so its strides follow from
 * the shapes. Explicit strides let a kernel describe a block of rows or columns of {@code C} as a
 * product of its own, which is how {@link SimdKernel} hands work to its threads.
 *
 * <p>Element {@code (i, p)} of {@code op(A)} is {@code a[aOffset + i*lda + p]}, or
 * {@code a[aOffset + p*lda + i]} when {@code transA}; likewise for {@code op(B)} with {@code (p, j)}.
 * Element {@code (i, j)} of {@code C} is {@code c[cOffset + i*ldc + j]}.
 */
record Gemm(int m, int n, int k,
            float[] a, int aOffset, int lda, boolean transA,
            float[] b, int bOffset, int ldb, boolean transB,
            float[] c, int cOffset, int ldc, boolean accumulate) {

    /** The dense product of the {@link MatmulKernel#gemm} contract. Checks the arguments. */
    static Gemm dense(int m, int n, int k,
                      float[] a, int aOffset, boolean transA,
                      float[] b, int bOffset, boolean transB,
                      float[] c, int cOffset, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(
                    "gemm: sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        checkSlice("a", a, aOffset, (long) m * k, m, k);
        checkSlice("b", b, bOffset, (long) k * n, k, n);
        checkSlice("c", c, cOffset, (long) m * n, m, n);
        return new Gemm(m, n, k,
                a, aOffset, transA ? m : k, transA,
                b, bOffset, transB ? k : n, transB,
                c, cOffset, n, accumulate);
    }

    private static void checkSlice(String name, float[] x, int offset, long size, int rows, int cols) {
        if (x == null) {
            throw new NullPointerException("gemm: " + name + " is null");
        }
        if (offset < 0 || offset + size > x.length) {
            throw new IndexOutOfBoundsException("gemm: " + name + " needs " + size + " elements ("
                    + rows + " x " + cols + ") from offset " + offset + ", but its length is " + x.length);
        }
    }

    /** Rows {@code [from, to)} of {@code C}: the same {@code B}, a band of {@code op(A)}. */
    Gemm rows(int from, int to) {
        int aStart = transA ? from : from * lda;
        return new Gemm(to - from, n, k,
                a, aOffset + aStart, lda, transA,
                b, bOffset, ldb, transB,
                c, cOffset + from * ldc, ldc, accumulate);
    }

    /** Columns {@code [from, to)} of {@code C}: the same {@code A}, a band of {@code op(B)}. */
    Gemm cols(int from, int to) {
        int bStart = transB ? from * ldb : from;
        return new Gemm(m, to - from, k,
                a, aOffset, lda, transA,
                b, bOffset + bStart, ldb, transB,
                c, cOffset + from, ldc, accumulate);
    }

    /** Multiply-adds in the product, as a {@code long}: the measure of "big enough for threads". */
    long volume() {
        return (long) m * n * k;
    }
}
