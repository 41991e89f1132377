package dev.gradbook.examples.foundations;

import dev.gradbook.core.Linalg;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;

/**
 * <h2>linear-algebra: vectors, matrices, determinants, eigenvectors and the SVD</h2>
 *
 * <p>A matrix is a linear map: {@code A x} takes a vector to another one, and the columns of
 * {@code A} are where the basis vectors {@code e1, e2, ...} land. Everything in this chapter is a
 * way of reading such a map.
 * <pre>
 *   dot product    u . v = sum_i u_i v_i = |u| |v| cos(theta)
 *   determinant    det(A) = the factor by which A scales areas (volumes); det(AB) = det(A) det(B)
 *   eigenvector    A v = lambda v: a direction that A only stretches (by lambda)
 *   symmetric A    A = V diag(lambda) V^T with orthonormal V (the spectral theorem)
 *   any A (m x n)  A = U diag(s) V^T, s_1 >= s_2 >= ... >= 0 (the singular value decomposition)
 *   best rank k    A_k = sum_{i &lt;= k} s_i u_i v_i^T, and ||A - A_k||_2 = s_{k+1} (Eckart-Young)
 * </pre>
 * The heavy lifting (LU, symmetric eigen, SVD) is EJML's, behind {@link Linalg}; the chapter
 * writes two of the ideas once more by hand to show there is no magic: the determinant by
 * cofactor expansion (against LU) and the top eigenvector by power iteration
 * {@code v <- A v / |A v|} (against EJML). Sources: G. Strang, <i>Introduction to Linear
 * Algebra</i>, chapters 5 (determinants), 6 (eigenvalues) and 7 (SVD); Goodfellow, Bengio and
 * Courville, <i>Deep Learning</i>, chapter 2.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Every identity is printed with its error: {@code max |A v - lambda v|} below 1e-6
 *       (float32 arithmetic), {@code max |A - U S V^T|} likewise, cofactor and LU
 *       determinants equal to six digits.</li>
 *   <li>The squared singular values of M are the eigenvalues of {@code M^T M}, and the error of
 *       the best rank-1 approximation in the spectral norm is exactly {@code s_2}.</li>
 *   <li>Three pictures of 2-D maps: {@code rotation.png} (det 1, no real eigenvector: every
 *       direction turns), {@code shear.png} (det 1, one eigenvector direction along x, areas
 *       kept although shapes slant) and {@code stretch.png} (a symmetric map: the circle becomes
 *       an ellipse whose axes are the eigenvectors, lengths 3 and 1). Grey is before, colour
 *       after; the arrows {@code A e1}, {@code A e2} are A's columns.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Power iteration converges at the rate {@code |lambda_2 / lambda_1|} per step. Print the
 *       error after each step and check the rate against the eigenvalues.</li>
 *   <li>Replace the stretch by {@code [[1, 2], [2, 1]]}. One eigenvalue is negative: what does
 *       the picture do along that eigenvector, and what is the determinant?</li>
 *   <li>Keep the top k singular values of a 28x28 MNIST digit ({@code dev.gradbook.nn.data.Idx}
 *       reads the shipped files). How small can k be before the digit becomes unreadable?</li>
 * </ol>
 */
public final class LinearAlgebraChapter implements Chapter {
    @Override
    public String id() {
        return "linear-algebra";
    }

    @Override
    public Part part() {
        return Part.FOUNDATIONS;
    }

    @Override
    public String summary() {
        return "vectors, determinants, eigenvectors, SVD: each identity checked, linear maps drawn";
    }

    @Override
    public Result run(ChapterContext ctx) {
        Rng rng = ctx.rng();
        Result result = new Result();

        ctx.section("vectors");
        Tensor u = Tensor.vector(3, 4, 0);
        Tensor v = Tensor.vector(4, 2, 4);
        float dot = u.matmul(v).item();
        double cos = dot / (Linalg.norm(u) * Linalg.norm(v));
        ctx.printf("u = %s, v = %s%n", format(u), format(v));
        ctx.printf("u . v = %.1f, |u| = %.1f, |v| = %.1f, angle = %.2f degrees%n", dot, Linalg.norm(u),
                Linalg.norm(v), Math.toDegrees(Math.acos(cos)));
        Tensor projection = v.mul(dot / v.matmul(v).item());
        ctx.printf("projection of u onto v = %s; u minus it is orthogonal to v: (u - p) . v = %.2e%n",
                format(projection), u.sub(projection).matmul(v).item());

        ctx.section("matrices, inverse, solve");
        Tensor a = Tensor.randn(rng, 4, 4);
        Tensor b = Tensor.randn(rng, 4, 4);
        ctx.printf("AB - BA is not zero (max %.3f): matrix products do not commute%n",
                maxAbsDiff(a.matmul(b), b.matmul(a)));
        ctx.printf("(AB)^T = B^T A^T to %.1e%n", maxAbsDiff(a.matmul(b).t(), b.t().matmul(a.t())));
        double inverseError = maxAbsDiff(a.matmul(Linalg.inverse(a)), Tensor.eye(4));
        ctx.printf("A A^-1 = I to %.1e%n", inverseError);
        Tensor rhs = Tensor.vector(1, 2, 3, 4);
        Tensor x = Linalg.solve(a, rhs);
        ctx.printf("A x = b solved by LU: x = %s, residual %.1e%n", format(x),
                maxAbsDiff(a.matmul(x), rhs));
        result.metric("inverse_error", inverseError);

        ctx.section("determinants");
        double cofactor = cofactorDet(a);
        double lu = Linalg.det(a);
        ctx.printf("det(A) by cofactor expansion %.6f, by LU %.6f%n", cofactor, lu);
        ctx.printf("det(AB) = %.5f, det(A) det(B) = %.5f%n", Linalg.det(a.matmul(b)), lu * Linalg.det(b));
        result.metric("det_relative_difference", Math.abs(cofactor - lu) / Math.abs(cofactor));

        ctx.section("eigenvalues of a symmetric matrix");
        Tensor g = Tensor.randn(rng, 4, 4);
        Tensor s = g.matmul(g.t()).div(4);   // symmetric and positive semi-definite
        Linalg.Eigen eig = Linalg.eigSymmetric(s);
        ctx.println("S = G G^T / 4 =\n" + format(s));
        ctx.printf("eigenvalues %s (sum %.5f = trace %.5f)%n", format(eig.values()),
                eig.values().sum().item(), trace(s));
        double eigenResidual = 0;
        for (int i = 0; i < 4; i++) {
            Tensor vi = eig.vectors().select(1, i);
            double r = maxAbsDiff(s.matmul(vi), vi.mul(eig.values().get(i)));
            ctx.printf("  lambda_%d = %8.5f   max |S v - lambda v| = %.1e%n", i + 1, eig.values().get(i), r);
            eigenResidual = Math.max(eigenResidual, r);
        }
        ctx.printf("V^T V = I to %.1e (the eigenvectors are orthonormal)%n",
                maxAbsDiff(eig.vectors().t().matmul(eig.vectors()), Tensor.eye(4)));
        PowerIteration power = powerIteration(s, 200, rng);
        double powerError = Math.abs(power.value() - eig.values().get(0));
        ctx.printf("power iteration, %d steps: lambda_1 = %.5f (EJML %.5f), |cos(v, v_1)| = %.6f%n",
                power.steps(), power.value(), eig.values().get(0),
                Math.abs(power.vector().matmul(eig.vectors().select(1, 0)).item()));

        ctx.section("singular value decomposition");
        Tensor m = Tensor.randn(rng, 6, 4);
        Linalg.Svd svd = Linalg.svd(m);
        Tensor rebuilt = svd.u().mul(svd.s()).matmul(svd.vt());   // U diag(s) V^T: scale U's columns by s
        double svdError = maxAbsDiff(m, rebuilt);
        ctx.printf("M is 6x4; singular values s = %s%n", format(svd.s()));
        ctx.printf("max |M - U diag(s) V^T| = %.1e, U^T U = I to %.1e, V V^T = I to %.1e%n", svdError,
                maxAbsDiff(svd.u().t().matmul(svd.u()), Tensor.eye(4)),
                maxAbsDiff(svd.vt().matmul(svd.vt().t()), Tensor.eye(4)));
        ctx.printf("s^2 = %s, eigenvalues of M^T M = %s%n", format(svd.s().square()),
                format(Linalg.eigSymmetric(m.t().matmul(m)).values()));
        Tensor rank1 = svd.u().select(1, 0).unsqueeze(1).mul(svd.s().get(0)).matmul(svd.vt().select(0, 0).unsqueeze(0));
        double rank1Error = Linalg.matrixNorm2(m.sub(rank1));
        ctx.printf("best rank-1 approximation: ||M - s1 u1 v1^T||_2 = %.5f = s_2 = %.5f (Eckart-Young)%n",
                rank1Error, svd.s().get(1));

        ctx.section("linear maps of the plane");
        double maxMapResidual = 0;
        for (LinearMaps.Map2 map : LinearMaps.examples()) {
            maxMapResidual = Math.max(maxMapResidual, LinearMaps.describe(ctx, map));
            LinearMaps.draw(map, ctx.outFile(map.file()));
        }
        ctx.printf("pictures: %s in %s%n", String.join(", ", LinearMaps.files()), ctx.outDir());

        result.metric("eigen_residual", Math.max(eigenResidual, maxMapResidual));
        result.metric("power_iteration_error", powerError);
        result.metric("svd_reconstruction_error", svdError);
        result.metric("eckart_young_gap", Math.abs(rank1Error - svd.s().get(1)));
        return result;
    }

    // ------------------------------------------------------------ written out by hand

    /** Laplace expansion along the first row: det(A) = sum_j (-1)^j a_0j det(A without row 0, column j). O(n!). */
    static double cofactorDet(Tensor a) {
        int n = a.size(0);
        if (n == 1) {
            return a.get(0, 0);
        }
        double det = 0;
        for (int j = 0; j < n; j++) {
            int skip = j;
            int[] otherColumns = java.util.stream.IntStream.range(0, n).filter(c -> c != skip).toArray();
            Tensor minor = a.slice(0, 1, n).indexSelect(1, otherColumns);
            det += (j % 2 == 0 ? 1 : -1) * a.get(0, j) * cofactorDet(minor);
        }
        return det;
    }

    record PowerIteration(double value, Tensor vector, int steps) {
    }

    /**
     * The eigenvector of the largest |lambda|: repeat {@code v <- A v / |A v|} from a random start.
     * The other components shrink by {@code |lambda_2 / lambda_1|} each step; lambda is the
     * Rayleigh quotient {@code v . A v}. Stops when v moves less than 1e-7.
     */
    static PowerIteration powerIteration(Tensor a, int maxSteps, Rng rng) {
        Tensor v = Tensor.randn(rng, a.size(0));
        v = v.div(Linalg.norm(v));
        int step = 0;
        while (step < maxSteps) {
            step++;
            Tensor next = a.matmul(v);
            next = next.div(Linalg.norm(next));
            boolean converged = maxAbsDiff(next, v) < 1e-7;
            v = next;
            if (converged) {
                break;
            }
        }
        return new PowerIteration(v.matmul(a.matmul(v)).item(), v, step);
    }

    // ------------------------------------------------------------ printing

    static double maxAbsDiff(Tensor x, Tensor y) {
        return x.sub(y).abs().max().item();
    }

    static double trace(Tensor a) {
        double t = 0;
        for (int i = 0; i < a.size(0); i++) {
            t += a.get(i, i);
        }
        return t;
    }

    /** A vector as (1.000, -2.000), a matrix as rows of such. */
    static String format(Tensor t) {
        if (t.dim() == 2) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < t.size(0); i++) {
                sb.append("  ").append(format(t.select(0, i))).append(i + 1 < t.size(0) ? "\n" : "");
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < t.numel(); i++) {
            sb.append(String.format(java.util.Locale.ROOT, "%.3f", t.data()[i] == 0 ? 0f : t.data()[i])).append(i + 1 < t.numel() ? ", " : ")");
        }
        return sb.toString();
    }
}
