package dev.gradbook.core.kernels;

/**
 * A general matrix multiply on row-major {@code float} arrays:
 * <pre>
 *   C = op(A) * op(B)            (accumulate == false)
 *   C = C + op(A) * op(B)        (accumulate == true)
 * </pre>
 * where {@code op(X)} is {@code X} or its transpose. Shapes are given for the operands as they
 * enter the product: {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is
 * {@code m x n}. Storage is dense and row-major, so the leading dimensions follow from the shapes:
 * <ul>
 *   <li>{@code A} is stored {@code m x k} (row stride {@code k}), or {@code k x m} (row stride
 *       {@code m}) when {@code transA};</li>
 *   <li>{@code B} is stored {@code k x n} (row stride {@code n}), or {@code n x k} (row stride
 *       {@code k}) when {@code transB};</li>
 *   <li>{@code C} is stored {@code m x n} (row stride {@code n}).</li>
 * </ul>
 * The transposed variants let autograd compute {@code dA = dC B^T} and {@code dB = A^T dC}
 * without ever materialising a transpose. Each operand starts at its offset, so a batched
 * product is a loop over offsets.
 *
 * <p>Any size may be 0: with {@code k == 0} the product is the zero matrix, so {@code C} becomes
 * zero, or stays as it is when accumulating. Without {@code accumulate} the old contents of
 * {@code C} are never read (a {@code NaN} there does not leak into the result). {@code c} must not
 * overlap {@code a} or {@code b}. Implementations are thread-safe; see {@link Kernels} for the one
 * in use.
 *
 * <p>Modified: {@code c} in {@code [cOffset, cOffset + m*n)}. Not modified: {@code a}, {@code b}.
 */
public interface MatmulKernel {

    /**
     * {@code C (+)= op(A) * op(B)}, as in the class comment.
     *
     * @throws IllegalArgumentException if a size is negative
     * @throws IndexOutOfBoundsException if an operand does not hold its matrix from its offset
     */
    void gemm(int m, int n, int k,
              float[] a, int aOffset, boolean transA,
              float[] b, int bOffset, boolean transB,
              float[] c, int cOffset, boolean accumulate);

    /** A short name for messages and benchmarks, e.g. {@code "simd(2 threads)"}. */
    String name();

    /**
     * How many threads this kernel computes with, the caller's included: the work that
     * surrounds the products (see {@link Parallel}) uses as many. 1 unless the kernel says otherwise.
     */
    default int threads() {
        return 1;
    }
}
