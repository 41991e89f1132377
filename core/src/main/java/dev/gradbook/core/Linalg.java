package dev.gradbook.core;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.SingularOps_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_FDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F32;
import org.ejml.interfaces.decomposition.DecompositionInterface;
import org.ejml.interfaces.decomposition.EigenDecomposition_F32;
import org.ejml.interfaces.decomposition.LUDecomposition_F32;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Dense linear algebra on 2-D tensors: the classic matrix factorisations, each a way of writing
 * a matrix as a product of simpler ones. The numerical work is EJML's; this class checks shapes,
 * wraps tensor storage as {@link FMatrixRMaj} views and returns new tensors.
 *
 * <ul>
 *   <li><b>LU</b>: {@code P A = L U}, L unit lower-triangular, U upper-triangular, P a row
 *       permutation (partial pivoting). Behind {@link #solve}, {@link #inverse} and {@link #det}:
 *       {@code det(A) = sign(P) * prod(U_ii)}. Use it for square systems {@code A x = b}.</li>
 *   <li><b>Cholesky</b>: {@code A = L L^T}, L lower-triangular with a positive diagonal; exists
 *       exactly when A is symmetric positive definite. Half the work of LU: covariances, Gram
 *       matrices, Gaussian sampling ({@code x = mu + L z}).</li>
 *   <li><b>QR</b>: {@code A = Q R}, Q with orthonormal columns, R upper-triangular. Solves least
 *       squares without forming {@code A^T A} (which squares the condition number).</li>
 *   <li><b>Symmetric eigendecomposition</b>: {@code A = V diag(lambda) V^T}, V orthogonal, so
 *       {@code A v_i = lambda_i v_i}. Principal components, quadratic forms, spectra of graphs.</li>
 *   <li><b>SVD</b>: {@code A = U diag(s) V^T}, U and V with orthonormal columns, {@code s >= 0}.
 *       Works for any matrix: rank, norms, condition numbers, low-rank approximation (LoRA).</li>
 * </ul>
 *
 * <p>Conventions: eigenvalues and singular values are sorted in descending order, with the
 * vectors permuted to match and stored as columns; the sign of each eigenvector or singular
 * pair is arbitrary (as in LAPACK). QR and SVD are thin: for {@code A} of shape {@code [m, n]}
 * and {@code k = min(m, n)}, Q and U are {@code [m, k]}.
 *
 * <p>Not differentiable: results are fresh leaf tensors with no gradient history, and inputs
 * are never modified. A singular or indefinite matrix gives an {@link ArithmeticException}; a
 * wrong shape or a non-symmetric matrix where a symmetric one is needed gives an
 * {@link IllegalArgumentException}. Both name the op.
 */
public final class Linalg {
    /** How far {@code A} may be from {@code A^T}, relative to its largest entry, to count as symmetric. */
    private static final float SYMMETRY_TOLERANCE = 1e-5f;

    private Linalg() {
    }

    /** {@code A = V diag(values) V^T}; {@code values} descending, eigenvectors in the columns of {@code vectors}. */
    public record Eigen(Tensor values, Tensor vectors) {
    }

    /** {@code A = u diag(s) vt}; {@code s} descending. */
    public record Svd(Tensor u, Tensor s, Tensor vt) {
    }

    /** {@code A = q r}; {@code q} has orthonormal columns, {@code r} is upper-triangular with a non-negative diagonal. */
    public record Qr(Tensor q, Tensor r) {
    }

    // ---------------------------------------------------------------- LU: solve, inverse, det

    /** The x with {@code A x = b}, for square A and b of shape {@code [n]} or {@code [n, k]}; x has b's shape. */
    public static Tensor solve(Tensor a, Tensor b) {
        FMatrixRMaj view = square("solve", a);
        int n = view.numRows;
        int k = rightHandSides("solve", a, b);
        LinearSolverDense<FMatrixRMaj> solver = luSolver("solve", view);
        FMatrixRMaj rhs = FMatrixRMaj.wrap(n, k, b.data());
        float[] x = new float[n * k];
        solver.solve(solver.modifiesB() ? rhs.copy() : rhs, FMatrixRMaj.wrap(n, k, x));
        return Tensor.wrap(x, b.shape());
    }

    /** The matrix {@code A^-1} with {@code A A^-1 = A^-1 A = I}. Prefer {@link #solve} to multiplying by it. */
    public static Tensor inverse(Tensor a) {
        FMatrixRMaj view = square("inverse", a);
        float[] inv = new float[a.numel()];
        luSolver("inverse", view).invert(FMatrixRMaj.wrap(a.size(0), a.size(1), inv));
        return Tensor.wrap(inv, a.shape());
    }

    /** The determinant, {@code sign(P) * prod(U_ii)} from the LU factors. Zero (or tiny) for a singular matrix. */
    public static float det(Tensor a) {
        FMatrixRMaj view = square("det", a);
        LUDecomposition_F32<FMatrixRMaj> lu = DecompositionFactory_FDRM.lu(a.size(0), a.size(0));
        decompose(lu, view);
        return lu.computeDeterminant().real;
    }

    private static LinearSolverDense<FMatrixRMaj> luSolver(String op, FMatrixRMaj a) {
        LinearSolverDense<FMatrixRMaj> solver = LinearSolverFactory_FDRM.lu(a.numRows);
        solver.setA(solver.modifiesA() ? a.copy() : a);
        LUDecomposition_F32<FMatrixRMaj> lu = solver.getDecomposition();
        requireNonzeroDiagonal(op, lu.getUpper(null), "A of shape [" + a.numRows + ", " + a.numCols + "] is singular");
        return solver;
    }

    // ---------------------------------------------------------------- Cholesky, QR, least squares

    /** The lower-triangular L with {@code A = L L^T}, for symmetric positive definite A. */
    public static Tensor cholesky(Tensor a) {
        FMatrixRMaj view = square("cholesky", a);
        requireSymmetric("cholesky", view);
        CholeskyDecomposition_F32<FMatrixRMaj> chol = DecompositionFactory_FDRM.chol(a.size(0), true);
        if (!decompose(chol, view)) {
            throw new ArithmeticException("cholesky: A of shape " + Shape.format(a.shape())
                    + " is not positive definite");
        }
        return tensor(chol.getT(null));
    }

    /** Thin QR: {@code A = Q R} with Q {@code [m, k]}, R {@code [k, n]}, {@code k = min(m, n)}. */
    public static Qr qr(Tensor a) {
        FMatrixRMaj view = matrix("qr", a);
        QRDecomposition<FMatrixRMaj> qr = DecompositionFactory_FDRM.qr(view.numRows, view.numCols);
        decompose(qr, view);
        FMatrixRMaj q = qr.getQ(null, true);
        FMatrixRMaj r = qr.getR(null, true);
        // Householder QR may leave R_ii < 0; flipping row i of R and column i of Q keeps Q R the
        // same and makes the factorisation unique when A has full column rank.
        for (int i = 0; i < r.numRows; i++) {
            if (r.get(i, i) < 0) {
                for (int j = i; j < r.numCols; j++) {
                    r.set(i, j, -r.get(i, j));
                }
                for (int row = 0; row < q.numRows; row++) {
                    q.set(row, i, -q.get(row, i));
                }
            }
        }
        return new Qr(tensor(q), tensor(r));
    }

    /**
     * The x minimising {@code ||A x - b||_2}, for A of shape {@code [m, n]} with {@code m >= n} and
     * full column rank; b is {@code [m]} or {@code [m, k]}, x is {@code [n]} or {@code [n, k]}.
     * Solved by QR: {@code R x = Q^T b}. The residual {@code A x - b} is orthogonal to A's columns.
     */
    public static Tensor lstsq(Tensor a, Tensor b) {
        FMatrixRMaj view = matrix("lstsq", a);
        int m = view.numRows;
        int n = view.numCols;
        if (m < n) {
            throw new IllegalArgumentException("lstsq: A must have at least as many rows as columns, got shape "
                    + Shape.format(a.shape()));
        }
        int k = rightHandSides("lstsq", a, b);
        LinearSolverDense<FMatrixRMaj> solver = LinearSolverFactory_FDRM.leastSquares(m, n);
        solver.setA(solver.modifiesA() ? view.copy() : view);
        QRDecomposition<FMatrixRMaj> qr = solver.getDecomposition();
        requireNonzeroDiagonal("lstsq", qr.getR(null, true), "A of shape " + Shape.format(a.shape())
                + " is rank deficient");
        FMatrixRMaj rhs = FMatrixRMaj.wrap(m, k, b.data());
        float[] x = new float[n * k];
        solver.solve(solver.modifiesB() ? rhs.copy() : rhs, FMatrixRMaj.wrap(n, k, x));
        return b.dim() == 1 ? Tensor.wrap(x, n) : Tensor.wrap(x, n, k);
    }

    // ---------------------------------------------------------------- eigenvalues and SVD

    /** {@code A = V diag(lambda) V^T} for symmetric A, eigenvalues descending, eigenvectors as columns. */
    public static Eigen eigSymmetric(Tensor a) {
        FMatrixRMaj view = square("eigSymmetric", a);
        requireSymmetric("eigSymmetric", view);
        int n = view.numRows;
        EigenDecomposition_F32<FMatrixRMaj> eig = DecompositionFactory_FDRM.eig(n, true, true);
        if (!decompose(eig, view)) {
            throw new ArithmeticException("eigSymmetric: the eigenvalue iteration did not converge for A of shape "
                    + Shape.format(a.shape()));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Float.compare(eig.getEigenvalue(j).real, eig.getEigenvalue(i).real));
        float[] values = new float[n];
        float[] vectors = new float[n * n];
        for (int col = 0; col < n; col++) {
            values[col] = eig.getEigenvalue(order[col]).real;
            FMatrixRMaj v = eig.getEigenVector(order[col]);
            for (int row = 0; row < n; row++) {
                vectors[row * n + col] = v.get(row, 0);
            }
        }
        return new Eigen(Tensor.wrap(values, n), Tensor.wrap(vectors, n, n));
    }

    /** Thin SVD: {@code A = U diag(s) V^T} with U {@code [m, k]}, s {@code [k]} descending, V^T {@code [k, n]}. */
    public static Svd svd(Tensor a) {
        FMatrixRMaj view = matrix("svd", a);
        SingularValueDecomposition_F32<FMatrixRMaj> svd = svdOf("svd", view, true);
        FMatrixRMaj u = svd.getU(null, false);
        FMatrixRMaj vt = svd.getV(null, true);
        float[] s = svd.getSingularValues().clone();
        int k = svd.numberOfSingularValues();
        SingularOps_FDRM.descendingOrder(u, false, s, k, vt, true);
        return new Svd(tensor(u), Tensor.wrap(Arrays.copyOf(s, k), k), tensor(vt));
    }

    // ---------------------------------------------------------------- norms, rank, condition

    /** The Frobenius norm {@code sqrt(sum a_ij^2)} of any tensor: the 2-norm for a vector. */
    public static float norm(Tensor a) {
        double sum = 0;
        for (float v : a.data()) {
            sum += (double) v * v;
        }
        return (float) Math.sqrt(sum);
    }

    /** The vector p-norm {@code (sum |x_i|^p)^(1/p)} for {@code p >= 1}; {@code p = infinity} gives {@code max |x_i|}. */
    public static float norm(Tensor x, double p) {
        if (x.dim() != 1) {
            throw new IllegalArgumentException("norm: the p-norm expects a vector, got shape " + Shape.format(x.shape())
                    + " (use norm(A) for the Frobenius norm or matrixNorm2(A) for the spectral norm)");
        }
        if (!(p >= 1)) {
            throw new IllegalArgumentException("norm: p must be >= 1 (or infinity), got " + p);
        }
        double max = 0;
        for (float v : x.data()) {
            max = Math.max(max, Math.abs(v));
        }
        if (p == Double.POSITIVE_INFINITY || max == 0) {
            return (float) max;
        }
        double sum = 0; // of (|x_i| / max)^p: dividing by the largest entry keeps |x_i|^p from overflowing
        for (float v : x.data()) {
            sum += Math.pow(Math.abs(v) / max, p);
        }
        return (float) (max * Math.pow(sum, 1 / p));
    }

    /** The spectral norm {@code max ||A x|| / ||x||}: the largest singular value. */
    public static float matrixNorm2(Tensor a) {
        float[] s = singularValues("matrixNorm2", a);
        return s.length == 0 ? 0f : s[0];
    }

    /** The 2-norm condition number {@code s_max / s_min} (infinite if singular): how much A can amplify relative error. */
    public static float condition(Tensor a) {
        float[] s = singularValues("condition", a);
        return s.length == 0 ? 0f : s[0] / s[s.length - 1];
    }

    /** The number of singular values above {@code max(m, n) * eps(float) * s_max}. */
    public static int rank(Tensor a) {
        float[] s = singularValues("rank", a);
        float threshold = s.length == 0 ? 0f : Math.max(a.size(0), a.size(1)) * Math.ulp(1f) * s[0];
        int rank = 0;
        for (float v : s) {
            rank += v > threshold ? 1 : 0;
        }
        return rank;
    }

    private static float[] singularValues(String op, Tensor a) {
        SingularValueDecomposition_F32<FMatrixRMaj> svd = svdOf(op, matrix(op, a), false);
        float[] s = Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues());
        SingularOps_FDRM.descendingOrder(null, false, s, s.length, null, false);
        return s;
    }

    private static SingularValueDecomposition_F32<FMatrixRMaj> svdOf(String op, FMatrixRMaj a, boolean vectors) {
        SingularValueDecomposition_F32<FMatrixRMaj> svd =
                DecompositionFactory_FDRM.svd(a.numRows, a.numCols, vectors, vectors, true);
        if (!decompose(svd, a)) {
            throw new ArithmeticException(op + ": the SVD iteration did not converge for A of shape ["
                    + a.numRows + ", " + a.numCols + "]");
        }
        return svd;
    }

    // ---------------------------------------------------------------- helpers

    /** A view of a 2-D tensor of finite values as an EJML matrix sharing its storage. */
    private static FMatrixRMaj matrix(String op, Tensor a) {
        if (a.dim() != 2) {
            throw new IllegalArgumentException(op + ": A must be a 2-D matrix, got shape " + Shape.format(a.shape()));
        }
        if (a.hasNonFinite()) {
            throw new IllegalArgumentException(op + ": A of shape " + Shape.format(a.shape())
                    + " contains NaN or infinite values");
        }
        return FMatrixRMaj.wrap(a.size(0), a.size(1), a.data());
    }

    private static FMatrixRMaj square(String op, Tensor a) {
        FMatrixRMaj view = matrix(op, a);
        if (view.numRows != view.numCols) {
            throw new IllegalArgumentException(op + ": A must be square, got shape " + Shape.format(a.shape()));
        }
        return view;
    }

    /** The number of columns k of b, which must be {@code [m]} or {@code [m, k]} for A of shape {@code [m, n]}. */
    private static int rightHandSides(String op, Tensor a, Tensor b) {
        int m = a.size(0);
        if (b.dim() < 1 || b.dim() > 2 || b.size(0) != m) {
            throw new IllegalArgumentException(op + ": b must have shape [" + m + "] or [" + m + ", k] for A of shape "
                    + Shape.format(a.shape()) + ", got " + Shape.format(b.shape()));
        }
        return b.dim() == 1 ? 1 : b.size(1);
    }

    /** Runs a decomposition, on a copy if it would overwrite its input (Cholesky works in place). */
    private static boolean decompose(DecompositionInterface<FMatrixRMaj> d, FMatrixRMaj a) {
        return d.decompose(d.inputModified() ? a.copy() : a);
    }

    private static void requireSymmetric(String op, FMatrixRMaj a) {
        float tolerance = SYMMETRY_TOLERANCE * CommonOps_FDRM.elementMaxAbs(a);
        for (int i = 0; i < a.numRows; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(a.get(i, j) - a.get(j, i)) > tolerance) {
                    throw new IllegalArgumentException(op + ": A must be symmetric, but A[" + i + ", " + j + "] = "
                            + a.get(i, j) + " and A[" + j + ", " + i + "] = " + a.get(j, i));
                }
            }
        }
    }

    /**
     * Throws if a triangular factor (U of LU, R of QR) has a diagonal entry that is zero up to
     * float rounding, relative to its largest entry: then A has no inverse or no full rank.
     */
    private static void requireNonzeroDiagonal(String op, FMatrixRMaj triangular, String problem) {
        int k = Math.min(triangular.numRows, triangular.numCols);
        float tolerance = Math.max(triangular.numRows, triangular.numCols) * Math.ulp(1f)
                * CommonOps_FDRM.elementMaxAbs(triangular);
        for (int i = 0; i < k; i++) {
            if (!(Math.abs(triangular.get(i, i)) > tolerance)) {
                throw new ArithmeticException(op + ": " + problem + " (pivot " + i + " is " + triangular.get(i, i)
                        + " next to a largest entry of " + CommonOps_FDRM.elementMaxAbs(triangular) + ")");
            }
        }
    }

    /** A tensor holding an EJML result matrix (its array, trimmed if EJML allocated spare room). */
    private static Tensor tensor(FMatrixRMaj m) {
        int n = m.numRows * m.numCols;
        return Tensor.wrap(m.data.length == n ? m.data : Arrays.copyOf(m.data, n), m.numRows, m.numCols);
    }
}
