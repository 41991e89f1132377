package dev.gradbook.core;

import dev.gradbook.core.kernels.Kernels;
import dev.gradbook.core.kernels.MatmulKernel;
import dev.gradbook.core.kernels.Parallel;

/**
 * The matrix product, with PyTorch's rules for ranks:
 * <ul>
 *   <li>1-D x 1-D: the dot product, a scalar;</li>
 *   <li>2-D x 2-D: the matrix product {@code (m, k) x (k, n) -> (m, n)};</li>
 *   <li>a 1-D operand is treated as a row (left) or column (right) vector, and that dimension
 *       is removed from the result;</li>
 *   <li>higher ranks: stacks of matrices; the leading (batch) dimensions broadcast.</li>
 * </ul>
 * For {@code C = A B}, the chain rule gives {@code dA = dC B^T} and {@code dB = A^T dC}. The
 * kernel multiplies transposed operands directly, so no transpose is ever copied.
 *
 * <p>The arithmetic happens in a {@link MatmulKernel}: the SIMD one when the JVM has the Vector
 * API, else EJML's (see {@link Kernels}). This class only arranges shapes and batches.
 */
final class Matmul {
    private Matmul() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got shapes "
                    + Shape.format(a.shape()) + " and " + Shape.format(b.shape()));
        }
        // checked before any 1-D operand is promoted below, so the message shows the caller's shapes
        check(a, b, a.size(-1), b.size(b.dim() == 1 ? 0 : -2));
        if (a.dim() == 1 && b.dim() == 1) {
            return a.unsqueeze(0).matmul(b.unsqueeze(1)).reshape();
        }
        if (a.dim() == 1) {
            return a.unsqueeze(0).matmul(b).squeeze(-2);
        }
        if (b.dim() == 1) {
            return a.matmul(b.unsqueeze(1)).squeeze(-1);
        }
        int k = a.size(-1);
        if (a.dim() > 2 && b.dim() == 2) {
            // (..., m, k) x (k, n): fold the batch into the rows, one large product instead of many
            // (rows counted explicitly: reshape(-1, k) is ambiguous when k = 0)
            int[] outShape = a.shape();
            outShape[outShape.length - 1] = b.size(1);
            int rows = Shape.product(outShape, 0, outShape.length - 1);
            return a.reshape(rows, k).matmul(b).reshape(outShape);
        }
        checkBatches("matmul", a, b);
        Tensor out = product(a, false, b, false);
        // C = A B:  dA = dC B^T,  dB = A^T dC  (summed over any broadcast batch dimensions)
        return out.recordOp("matmul", g -> {
            if (a.requiresGrad()) {
                a.accumulateOwnGrad(product(g, false, b, true));
            }
            if (b.requiresGrad()) {
                b.accumulateOwnGrad(product(a, true, g, false));
            }
        }, a, b);
    }

    /**
     * {@code a · bᵀ} over the last two dimensions, without copying the transpose: what a linear
     * layer ({@code x Wᵀ}, W stored as (out, in)) and attention scores ({@code Q Kᵀ}) need.
     * For {@code C = A Bᵀ} the chain rule gives {@code dA = dC B} and {@code dB = dCᵀ A}.
     */
    static Tensor matmulTransposed(Tensor a, Tensor b) {
        if (a.dim() < 2 || b.dim() < 2) {
            throw new IllegalArgumentException("matmulT: both operands need at least two dimensions, got shapes "
                    + Shape.format(a.shape()) + " and " + Shape.format(b.shape()));
        }
        int k = a.size(-1);
        if (k != b.size(-1)) {
            throw new IllegalArgumentException("matmulT: shapes " + Shape.format(a.shape()) + " and "
                    + Shape.format(b.shape()) + " cannot be multiplied as A·Bᵀ (" + k + " != " + b.size(-1) + ")");
        }
        if (a.dim() > 2 && b.dim() == 2) {
            // (..., m, k) x (n, k)ᵀ: fold the batch into the rows
            int[] outShape = a.shape();
            outShape[outShape.length - 1] = b.size(0);
            int rows = Shape.product(outShape, 0, outShape.length - 1);
            return matmulTransposed(a.reshape(rows, k), b).reshape(outShape);
        }
        checkBatches("matmulT", a, b);
        Tensor out = product(a, false, b, true);
        return out.recordOp("matmulT", g -> {
            if (a.requiresGrad()) {
                a.accumulateOwnGrad(product(g, false, b, false));
            }
            if (b.requiresGrad()) {
                b.accumulateOwnGrad(product(g, true, a, false));
            }
        }, a, b);
    }

    private static void check(Tensor a, Tensor b, int ka, int kb) {
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.format(a.shape()) + " and "
                    + Shape.format(b.shape()) + " cannot be multiplied (" + ka + " != " + kb + ")");
        }
    }

    /** The batch dimensions (all but the last two) must broadcast; the message names the full shapes. */
    private static void checkBatches(String op, Tensor a, Tensor b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        for (int i = 3; i <= Math.min(as.length, bs.length); i++) {
            int sa = as[as.length - i];
            int sb = bs[bs.length - i];
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Shape.format(as) + " and " + Shape.format(bs)
                        + " cannot be multiplied (batch dimensions " + sa + " and " + sb + " do not broadcast)");
            }
        }
    }

    /**
     * {@code op(a) x op(b)} over broadcast batches, without autograd. {@code a} holds matrices
     * of {@code (m, k)}, or {@code (k, m)} if {@code transA}; likewise {@code b}.
     */
    static Tensor product(Tensor a, boolean transA, Tensor b, boolean transB) {
        int[] as = a.shape();
        int[] bs = b.shape();
        int ra = as.length;
        int rb = bs.length;
        int m = transA ? as[ra - 1] : as[ra - 2];
        int k = transA ? as[ra - 2] : as[ra - 1];
        int n = transB ? bs[rb - 2] : bs[rb - 1];
        int[] batchA = java.util.Arrays.copyOf(as, ra - 2);
        int[] batchB = java.util.Arrays.copyOf(bs, rb - 2);
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        int batches = Shape.numel(batch);
        int[] stepA = Shape.broadcastStrides(batchA, batch);
        int[] stepB = Shape.broadcastStrides(batchB, batch);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        float[] c = StepArena.floats(batches * m * n);
        MatmulKernel kernel = Kernels.defaultKernel();
        int[] startA = Shape.offsets(batch, stepA, batch.length);
        int[] startB = Shape.offsets(batch, stepB, batch.length);
        // a batch of small products (attention's heads): whole products per thread
        Parallel.forEachBlock(batches, 1, (long) m * n * k, (p, from, to) ->
                kernel.gemm(m, n, k, a.data(), startA[p] * m * k, transA, b.data(), startB[p] * k * n, transB, c,
                        p * m * n, false));
        return new Tensor(c, outShape);
    }
}
