package dev.gradbook.core.kernels;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/**
 * The reference kernel: EJML's dense row-major multiply ({@link CommonOps_FDRM#mult} and its
 * transposed and accumulating variants), always available and easy to trust.
 *
 * <p>The operands are viewed as {@link FMatrixRMaj} without copying when a whole array is the
 * matrix (offset 0, exact length); otherwise the slice is copied in, and {@code C} copied back.
 * The multithreaded variant uses {@link CommonOps_MT_FDRM} (EJML's own fork-join pool) for
 * products of at least {@value #PARALLEL_VOLUME} multiply-adds, where the threads pay off.
 *
 * <p>Thread-safe: it keeps no state between calls.
 */
public final class EjmlKernel implements MatmulKernel {

    /** Below this many multiply-adds ({@code m*n*k}) the multithreaded variant runs single-threaded. */
    static final long PARALLEL_VOLUME = 1L << 21;

    private final boolean multithreaded;
    private final long parallelVolume;

    /** The single-threaded ({@code false}) or multithreaded ({@code true}) EJML multiply. */
    public EjmlKernel(boolean multithreaded) {
        this(multithreaded, PARALLEL_VOLUME);
    }

    /** For tests: {@code parallelVolume = 0} sends every product to the multithreaded code. */
    EjmlKernel(boolean multithreaded, long parallelVolume) {
        this.multithreaded = multithreaded;
        this.parallelVolume = parallelVolume;
    }

    @Override
    public void gemm(int m, int n, int k,
                     float[] a, int aOffset, boolean transA,
                     float[] b, int bOffset, boolean transB,
                     float[] c, int cOffset, boolean accumulate) {
        Gemm g = Gemm.dense(m, n, k, a, aOffset, transA, b, bOffset, transB, c, cOffset, accumulate);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                Arrays.fill(c, cOffset, cOffset + m * n, 0f);
            }
            return;
        }
        // A is stored k x m when transposed, B n x k.
        FMatrixRMaj matA = transA ? view(a, aOffset, k, m) : view(a, aOffset, m, k);
        FMatrixRMaj matB = transB ? view(b, bOffset, n, k) : view(b, bOffset, k, n);
        FMatrixRMaj matC = accumulate ? view(c, cOffset, m, n) : output(c, cOffset, m, n);
        boolean threads = multithreaded && g.volume() >= parallelVolume;
        if (accumulate) {
            multAdd(matA, transA, matB, transB, matC, threads);
        } else {
            mult(matA, transA, matB, transB, matC, threads);
        }
        if (matC.data != c) {
            System.arraycopy(matC.data, 0, c, cOffset, m * n);
        }
    }

    @Override
    public String name() {
        return multithreaded ? "ejml-mt" : "ejml";
    }

    /** C = op(A) op(B). */
    private static void mult(FMatrixRMaj a, boolean transA, FMatrixRMaj b, boolean transB,
                             FMatrixRMaj c, boolean threads) {
        if (threads) {
            if (transA && transB) {
                CommonOps_MT_FDRM.multTransAB(a, b, c);
            } else if (transA) {
                CommonOps_MT_FDRM.multTransA(a, b, c);
            } else if (transB) {
                CommonOps_MT_FDRM.multTransB(a, b, c);
            } else {
                CommonOps_MT_FDRM.mult(a, b, c);
            }
        } else if (transA && transB) {
            CommonOps_FDRM.multTransAB(a, b, c);
        } else if (transA) {
            CommonOps_FDRM.multTransA(a, b, c);
        } else if (transB) {
            CommonOps_FDRM.multTransB(a, b, c);
        } else {
            CommonOps_FDRM.mult(a, b, c);
        }
    }

    /** C = C + op(A) op(B). */
    private static void multAdd(FMatrixRMaj a, boolean transA, FMatrixRMaj b, boolean transB,
                                FMatrixRMaj c, boolean threads) {
        if (threads) {
            if (transA && transB) {
                CommonOps_MT_FDRM.multAddTransAB(a, b, c);
            } else if (transA) {
                CommonOps_MT_FDRM.multAddTransA(a, b, c);
            } else if (transB) {
                CommonOps_MT_FDRM.multAddTransB(a, b, c);
            } else {
                CommonOps_MT_FDRM.multAdd(a, b, c);
            }
        } else if (transA && transB) {
            CommonOps_FDRM.multAddTransAB(a, b, c);
        } else if (transA) {
            CommonOps_FDRM.multAddTransA(a, b, c);
        } else if (transB) {
            CommonOps_FDRM.multAddTransB(a, b, c);
        } else {
            CommonOps_FDRM.multAdd(a, b, c);
        }
    }

    /** A rows x cols matrix holding {@code data[offset, offset + rows*cols)}: wrapped if whole, else copied. */
    private static FMatrixRMaj view(float[] data, int offset, int rows, int cols) {
        if (offset == 0 && data.length == rows * cols) {
            return FMatrixRMaj.wrap(rows, cols, data);
        }
        FMatrixRMaj copy = new FMatrixRMaj(rows, cols);
        System.arraycopy(data, offset, copy.data, 0, rows * cols);
        return copy;
    }

    /** Where to write an overwritten C: the array itself if whole, else fresh storage copied back later. */
    private static FMatrixRMaj output(float[] data, int offset, int rows, int cols) {
        if (offset == 0 && data.length == rows * cols) {
            return FMatrixRMaj.wrap(rows, cols, data);
        }
        return new FMatrixRMaj(rows, cols);
    }
}
