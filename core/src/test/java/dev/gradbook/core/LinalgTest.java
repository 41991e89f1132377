package dev.gradbook.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each factorisation is checked by its defining identity on seeded random matrices, with the
 * matrix arithmetic done by the plain loops at the bottom of this file (never by the code under
 * test). Tolerances are relative to the size of the quantities involved, as suits float32.
 */
class LinalgTest {
    private static final double TOL = 1e-4;

    // ---------------------------------------------------------------- solve, inverse, det

    @Test
    void solveVectorSatisfiesAxEqualsB() {
        Rng rng = new Rng(1);
        Tensor a = Tensor.randn(rng, 6, 6);
        Tensor b = Tensor.randn(rng, 6);
        Tensor x = Linalg.solve(a, b);
        assertArrayEquals(new int[] {6}, x.shape());
        assertResidualSmall(a, x, b, 6, 1);
    }

    @Test
    void solveMatrixSatisfiesAxEqualsBAndLeavesInputsAlone() {
        Rng rng = new Rng(2);
        Tensor a = Tensor.randn(rng, 5, 5);
        Tensor b = Tensor.randn(rng, 5, 3);
        float[] aBefore = a.toArray();
        float[] bBefore = b.toArray();
        Tensor x = Linalg.solve(a, b);
        assertArrayEquals(new int[] {5, 3}, x.shape());
        assertResidualSmall(a, x, b, 5, 3);
        assertArrayEquals(aBefore, a.data());
        assertArrayEquals(bBefore, b.data());
    }

    @Test
    void solveRejectsBadShapesAndSingularMatrices() {
        Tensor b2 = Tensor.vector(1, 2);
        assertThrowsNaming(IllegalArgumentException.class, "solve", "[2, 3]",
                () -> Linalg.solve(Tensor.zeros(2, 3), b2));
        assertThrowsNaming(IllegalArgumentException.class, "solve", "[3]",
                () -> Linalg.solve(Tensor.eye(2), Tensor.vector(1, 2, 3)));
        assertThrowsNaming(IllegalArgumentException.class, "solve", "[4]",
                () -> Linalg.solve(Tensor.vector(1, 2, 3, 4), b2));
        assertThrowsNaming(ArithmeticException.class, "solve", "singular",
                () -> Linalg.solve(Tensor.of(new float[][] {{1, 2}, {2, 4}}), b2));
        Tensor oneToNine = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        assertThrowsNaming(ArithmeticException.class, "solve", "singular",
                () -> Linalg.solve(oneToNine, Tensor.vector(1, 2, 3)));
    }

    @Test
    void inverseTimesMatrixIsIdentity() {
        Tensor a = Tensor.randn(new Rng(3), 6, 6);
        Tensor inv = Linalg.inverse(a);
        assertClose(eye(6), mul(a.data(), 6, 6, inv.data(), 6), TOL * 10, "A A^-1");
        assertClose(eye(6), mul(inv.data(), 6, 6, a.data(), 6), TOL * 10, "A^-1 A");
    }

    @Test
    void inverseRejectsNonSquareAndSingular() {
        assertThrowsNaming(IllegalArgumentException.class, "inverse", "square", () -> Linalg.inverse(Tensor.zeros(3, 2)));
        assertThrowsNaming(ArithmeticException.class, "inverse", "singular", () -> Linalg.inverse(Tensor.zeros(3, 3)));
    }

    @Test
    void detMatchesCofactorExpansionAndEliminationAndIsMultiplicative() {
        Rng rng = new Rng(4);
        Tensor a3 = Tensor.randn(rng, 3, 3);
        assertRelClose(cofactorDet3(a3.data()), Linalg.det(a3), "det 3x3 vs cofactors");
        Tensor a = Tensor.randn(rng, 5, 5);
        Tensor b = Tensor.randn(rng, 5, 5);
        assertRelClose(eliminationDet(a.data(), 5), Linalg.det(a), "det 5x5 vs elimination");
        Tensor ab = Tensor.wrap(toFloats(mul(a.data(), 5, 5, b.data(), 5)), 5, 5);
        assertRelClose((double) Linalg.det(a) * Linalg.det(b), Linalg.det(ab), "det(AB) = det(A) det(B)");
    }

    @Test
    void detKnownValuesIncludingThePermutationSign() {
        assertEquals(1f, Linalg.det(Tensor.eye(4)), 1e-6);
        assertEquals(-1f, Linalg.det(Tensor.of(new float[][] {{0, 1}, {1, 0}})), 1e-6);
        assertEquals(24f, Linalg.det(Tensor.of(new float[][] {{2, 0, 0}, {0, 3, 0}, {0, 0, 4}})), 1e-5);
        assertEquals(0f, Linalg.det(Tensor.of(new float[][] {{1, 2}, {2, 4}})), 1e-6);
        assertThrowsNaming(IllegalArgumentException.class, "det", "[2, 3]", () -> Linalg.det(Tensor.zeros(2, 3)));
    }

    // ---------------------------------------------------------------- Cholesky, QR, least squares

    @Test
    void choleskyIsLowerTriangularAndReproducesA() {
        Tensor a = spd(new Rng(5), 6);
        float[] before = a.toArray();
        Tensor l = Linalg.cholesky(a);
        assertArrayEquals(new int[] {6, 6}, l.shape());
        for (int i = 0; i < 6; i++) {
            assertTrue(l.get(i, i) > 0, "positive diagonal");
            for (int j = i + 1; j < 6; j++) {
                assertEquals(0f, l.get(i, j), "L[" + i + ", " + j + "] above the diagonal");
            }
        }
        assertClose(toDoubles(a.data()), mul(l.data(), 6, 6, transpose(l.data(), 6, 6), 6), TOL, "L L^T");
        assertArrayEquals(before, a.data(), "EJML's Cholesky works in place; the caller's tensor must not change");
    }

    @Test
    void choleskyKnownValue() {
        Tensor l = Linalg.cholesky(Tensor.of(new float[][] {{4, 2}, {2, 3}}));
        assertClose(new double[] {2, 0, 1, Math.sqrt(2)}, toDoubles(l.data()), 1e-6, "L");
    }

    @Test
    void choleskyRejectsIndefiniteAndNonSymmetric() {
        assertThrowsNaming(ArithmeticException.class, "cholesky", "positive definite",
                () -> Linalg.cholesky(Tensor.of(new float[][] {{1, 2}, {2, 1}})));
        assertThrowsNaming(IllegalArgumentException.class, "cholesky", "symmetric",
                () -> Linalg.cholesky(Tensor.of(new float[][] {{2, 1}, {0, 2}})));
        assertThrowsNaming(IllegalArgumentException.class, "cholesky", "square", () -> Linalg.cholesky(Tensor.zeros(2, 3)));
    }

    @Test
    void qrOfTallAndWideMatrices() {
        Rng rng = new Rng(6);
        for (int[] mn : new int[][] {{7, 4}, {3, 5}, {4, 4}}) {
            int m = mn[0];
            int n = mn[1];
            int k = Math.min(m, n);
            Tensor a = Tensor.randn(rng, m, n);
            Linalg.Qr qr = Linalg.qr(a);
            assertArrayEquals(new int[] {m, k}, qr.q().shape());
            assertArrayEquals(new int[] {k, n}, qr.r().shape());
            assertClose(toDoubles(a.data()), mul(qr.q().data(), m, k, qr.r().data(), n), TOL, "Q R");
            assertClose(eye(k), mul(transpose(qr.q().data(), m, k), k, m, qr.q().data(), k), TOL, "Q^T Q");
            for (int i = 0; i < k; i++) {
                assertTrue(qr.r().get(i, i) >= 0, "non-negative diagonal of R");
                for (int j = 0; j < i; j++) {
                    assertEquals(0f, qr.r().get(i, j), "R[" + i + ", " + j + "] below the diagonal");
                }
            }
        }
    }

    @Test
    void lstsqResidualIsOrthogonalToTheColumnsOfA() {
        Rng rng = new Rng(7);
        Tensor a = Tensor.randn(rng, 9, 3);
        Tensor b = Tensor.randn(rng, 9);
        Tensor x = Linalg.lstsq(a, b);
        assertArrayEquals(new int[] {3}, x.shape());
        double[] residual = mul(a.data(), 9, 3, x.data(), 1);
        for (int i = 0; i < 9; i++) {
            residual[i] -= b.data()[i];
        }
        double[] normal = mul(transpose(a.data(), 9, 3), 3, 9, toFloats(residual), 1);
        double scale = frobenius(a.data()) * frobenius(b.data());
        for (double v : normal) {
            assertEquals(0, v, TOL * scale, "A^T (A x - b)");
        }
    }

    @Test
    void lstsqRecoversAnExactSolutionForMatrixRightHandSides() {
        Rng rng = new Rng(8);
        Tensor a = Tensor.randn(rng, 8, 4);
        Tensor xTrue = Tensor.randn(rng, 4, 2);
        Tensor b = Tensor.wrap(toFloats(mul(a.data(), 8, 4, xTrue.data(), 2)), 8, 2);
        Tensor x = Linalg.lstsq(a, b);
        assertArrayEquals(new int[] {4, 2}, x.shape());
        assertClose(toDoubles(xTrue.data()), toDoubles(x.data()), TOL * 10, "x");
    }

    @Test
    void lstsqRejectsWideMismatchedAndRankDeficient() {
        assertThrowsNaming(IllegalArgumentException.class, "lstsq", "[2, 3]",
                () -> Linalg.lstsq(Tensor.zeros(2, 3), Tensor.zeros(2)));
        assertThrowsNaming(IllegalArgumentException.class, "lstsq", "[5]",
                () -> Linalg.lstsq(Tensor.randn(new Rng(9), 4, 2), Tensor.zeros(5)));
        Tensor repeated = Tensor.of(new float[][] {{1, 1}, {2, 2}, {3, 3}, {4, 4}});
        assertThrowsNaming(ArithmeticException.class, "lstsq", "rank", () -> Linalg.lstsq(repeated, Tensor.ones(4)));
    }

    // ---------------------------------------------------------------- eigenvalues and SVD

    @Test
    void eigSymmetricSatisfiesAvEqualsLambdaVWithOrthonormalSortedVectors() {
        int n = 6;
        Tensor m = Tensor.randn(new Rng(10), n, n);
        float[] s = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i * n + j] = (m.get(i, j) + m.get(j, i)) / 2;
            }
        }
        Tensor a = Tensor.wrap(s, n, n);
        Linalg.Eigen eig = Linalg.eigSymmetric(a);
        float[] lambda = eig.values().data();
        float[] v = eig.vectors().data();
        double[] av = mul(s, n, n, v, n);
        double scale = frobenius(s);
        for (int j = 0; j < n; j++) {
            if (j > 0) {
                assertTrue(lambda[j - 1] >= lambda[j], "eigenvalues descending");
            }
            for (int i = 0; i < n; i++) {
                assertEquals(lambda[j] * v[i * n + j], av[i * n + j], TOL * scale, "A v = lambda v, column " + j);
            }
        }
        assertClose(eye(n), mul(transpose(v, n, n), n, n, v, n), TOL, "V^T V");
    }

    @Test
    void eigSymmetricKnownValueAndErrors() {
        Linalg.Eigen eig = Linalg.eigSymmetric(Tensor.of(new float[][] {{2, 1}, {1, 2}}));
        assertClose(new double[] {3, 1}, toDoubles(eig.values().data()), 1e-6, "eigenvalues");
        assertEquals(1, Math.abs(eig.vectors().get(0, 0) + eig.vectors().get(1, 0)) / Math.sqrt(2), 1e-6,
                "the eigenvector of 3 is (1, 1) / sqrt(2) up to sign");
        assertThrowsNaming(IllegalArgumentException.class, "eigSymmetric", "symmetric",
                () -> Linalg.eigSymmetric(Tensor.of(new float[][] {{1, 2}, {3, 4}})));
        assertThrowsNaming(IllegalArgumentException.class, "eigSymmetric", "[2, 3]",
                () -> Linalg.eigSymmetric(Tensor.zeros(2, 3)));
    }

    @Test
    void svdReproducesAWithOrthonormalFactorsAndSortedValues() {
        Rng rng = new Rng(11);
        for (int[] mn : new int[][] {{7, 4}, {3, 5}, {5, 5}}) {
            int m = mn[0];
            int n = mn[1];
            int k = Math.min(m, n);
            Tensor a = Tensor.randn(rng, m, n);
            float[] before = a.toArray();
            Linalg.Svd svd = Linalg.svd(a);
            assertArrayEquals(new int[] {m, k}, svd.u().shape());
            assertArrayEquals(new int[] {k}, svd.s().shape());
            assertArrayEquals(new int[] {k, n}, svd.vt().shape());
            float[] s = svd.s().data();
            float[] us = svd.u().toArray();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) {
                    us[i * k + j] *= s[j];
                }
            }
            for (int j = 0; j < k; j++) {
                assertTrue(s[j] >= 0 && (j == 0 || s[j - 1] >= s[j]), "singular values non-negative, descending");
            }
            assertClose(toDoubles(a.data()), mul(us, m, k, svd.vt().data(), n), TOL, "U diag(s) V^T");
            float[] u = svd.u().data();
            float[] vt = svd.vt().data();
            assertClose(eye(k), mul(transpose(u, m, k), k, m, u, k), TOL, "U^T U");
            assertClose(eye(k), mul(vt, k, n, transpose(vt, k, n), k), TOL, "V^T V");
            assertArrayEquals(before, a.data());
        }
    }

    @Test
    void svdKnownValues() {
        Linalg.Svd svd = Linalg.svd(Tensor.of(new float[][] {{1, 0, 0}, {0, -3, 0}, {0, 0, 2}}));
        assertClose(new double[] {3, 2, 1}, toDoubles(svd.s().data()), 1e-6, "s");
        assertThrowsNaming(IllegalArgumentException.class, "svd", "[3]", () -> Linalg.svd(Tensor.zeros(3)));
        assertThrowsNaming(IllegalArgumentException.class, "svd", "NaN",
                () -> Linalg.svd(Tensor.of(new float[][] {{1, Float.NaN}})));
    }

    // ---------------------------------------------------------------- norms, rank, condition

    @Test
    void normsAgainstHandComputedValues() {
        assertEquals(5f, Linalg.norm(Tensor.vector(3, 4)), 1e-6);
        assertEquals(Math.sqrt(30), Linalg.norm(Tensor.of(new float[][] {{1, 2}, {3, 4}})), 1e-6);
        Tensor x = Tensor.vector(3, -4, 0);
        assertEquals(7f, Linalg.norm(x, 1), 1e-6);
        assertEquals(5f, Linalg.norm(x, 2), 1e-6);
        assertEquals(4f, Linalg.norm(x, Double.POSITIVE_INFINITY), 1e-6);
        assertEquals(Math.cbrt(27 + 64), Linalg.norm(x, 3), 1e-5);
        assertEquals(2000f, Linalg.norm(Tensor.vector(1000, 2000), 100), 1e-2, "no overflow of |x|^p");
        assertEquals(5f, Linalg.matrixNorm2(Tensor.of(new float[][] {{3, 0}, {0, -5}})), 1e-5);
        assertEquals(2f, Linalg.matrixNorm2(Tensor.of(new float[][] {{1, 1}, {1, 1}})), 1e-5);
        assertEquals(4f, Linalg.condition(Tensor.of(new float[][] {{1, 0}, {0, 4}})), 1e-5);
        assertThrowsNaming(IllegalArgumentException.class, "norm", "[2, 2]", () -> Linalg.norm(Tensor.eye(2), 1));
        assertThrowsNaming(IllegalArgumentException.class, "norm", "0.5", () -> Linalg.norm(x, 0.5));
    }

    @Test
    void spectralNormIsTheLargestSingularValueAndRankCountsTheRest() {
        Tensor a = Tensor.randn(new Rng(12), 4, 6);
        assertEquals(Linalg.svd(a).s().get(0), Linalg.matrixNorm2(a), 1e-5 * Linalg.matrixNorm2(a));
        assertEquals(4, Linalg.rank(a));
        assertEquals(1, Linalg.rank(Tensor.of(new float[][] {{1, 2}, {2, 4}, {3, 6}})));
        assertEquals(0, Linalg.rank(Tensor.zeros(3, 3)));
    }

    // ---------------------------------------------------------------- reference loops

    /** A symmetric positive definite matrix {@code M M^T + n I} (exactly symmetric: both triangles sum the same products). */
    private static Tensor spd(Rng rng, int n) {
        float[] m = Tensor.randn(rng, n, n).data();
        double[] a = mul(m, n, n, transpose(m, n, n), n);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += n;
        }
        return Tensor.wrap(toFloats(a), n, n);
    }

    /** {@code [r, inner] x [inner, c]} in double. */
    private static double[] mul(float[] a, int r, int inner, float[] b, int c) {
        double[] out = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double sum = 0;
                for (int p = 0; p < inner; p++) {
                    sum += (double) a[i * inner + p] * b[p * c + j];
                }
                out[i * c + j] = sum;
            }
        }
        return out;
    }

    private static float[] transpose(float[] a, int r, int c) {
        float[] out = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[j * r + i] = a[i * c + j];
            }
        }
        return out;
    }

    private static double[] eye(int n) {
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            out[i * n + i] = 1;
        }
        return out;
    }

    private static double cofactorDet3(float[] a) {
        return a[0] * ((double) a[4] * a[8] - (double) a[5] * a[7])
                - a[1] * ((double) a[3] * a[8] - (double) a[5] * a[6])
                + a[2] * ((double) a[3] * a[7] - (double) a[4] * a[6]);
    }

    /** Gaussian elimination with partial pivoting in double: the product of the pivots, signed by the swaps. */
    private static double eliminationDet(float[] values, int n) {
        double[] a = toDoubles(values);
        double det = 1;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row * n + col]) > Math.abs(a[pivot * n + col])) {
                    pivot = row;
                }
            }
            if (pivot != col) {
                for (int j = 0; j < n; j++) {
                    double t = a[col * n + j];
                    a[col * n + j] = a[pivot * n + j];
                    a[pivot * n + j] = t;
                }
                det = -det;
            }
            det *= a[col * n + col];
            for (int row = col + 1; row < n; row++) {
                double factor = a[row * n + col] / a[col * n + col];
                for (int j = col; j < n; j++) {
                    a[row * n + j] -= factor * a[col * n + j];
                }
            }
        }
        return det;
    }

    private static double frobenius(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    private static double[] toDoubles(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static float[] toFloats(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    /** Every {@code |expected - actual| <= tol * max(1, max |expected|)}. */
    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * scale, what + " at flat index " + i);
        }
    }

    private static void assertRelClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), what);
    }

    /** {@code A x ≈ b} column by column: each residual is small next to {@code sum |A_ij x_j| + |b_i|}. */
    private static void assertResidualSmall(Tensor a, Tensor x, Tensor b, int n, int k) {
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double ax = 0;
                double size = Math.abs(b.data()[i * k + c]);
                for (int j = 0; j < n; j++) {
                    ax += (double) a.data()[i * n + j] * x.data()[j * k + c];
                    size += Math.abs((double) a.data()[i * n + j] * x.data()[j * k + c]);
                }
                assertEquals(b.data()[i * k + c], ax, TOL * size, "(A x - b)[" + i + ", " + c + "]");
            }
        }
    }

    private static void assertThrowsNaming(Class<? extends RuntimeException> type, String op, String detail,
            Executable call) {
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage().startsWith(op + ":"), "message should start with '" + op + ":': " + e.getMessage());
        assertTrue(e.getMessage().contains(detail), "message should mention '" + detail + "': " + e.getMessage());
    }
}
