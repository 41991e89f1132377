package dev.gradbook.examples.foundations;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.plot.Palette;
import dev.gradbook.examples.plot.PlanePlot;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A 2x2 matrix {@code [[a, b], [c, d]]} seen as a map of the plane: its eigenvalues from the
 * characteristic polynomial, and a picture of what it does to a grid, the unit square and the
 * unit circle.
 * <pre>
 *   det(A - lambda I) = lambda^2 - tr(A) lambda + det(A) = 0
 *   lambda = tr/2 +- sqrt(tr^2/4 - det)       (complex when tr^2/4 &lt; det: the map turns every direction)
 *   v      = a non-zero solution of (A - lambda I) v = 0, e.g. (b, lambda - a)
 * </pre>
 */
final class LinearMaps {
    private LinearMaps() {
    }

    /** The matrix {@code [[a, b], [c, d]]}, a name, and the picture's file name. */
    record Map2(String name, String file, double a, double b, double c, double d) {
        Tensor matrix() {
            return Tensor.of(new float[][] {{(float) a, (float) b}, {(float) c, (float) d}});
        }

        double det() {
            return a * d - b * c;
        }

        double trace() {
            return a + d;
        }

        double x(double px, double py) {
            return a * px + b * py;
        }

        double y(double px, double py) {
            return c * px + d * py;
        }
    }

    /** Real eigenvalues with unit eigenvectors (one per independent direction), or a complex pair re +- i im. */
    record Eigen2(double[] values, double[][] vectors, double re, double im) {
        boolean complex() {
            return values.length == 0;
        }
    }

    static List<Map2> examples() {
        double theta = Math.toRadians(30);
        return List.of(
                new Map2("rotation by 30 degrees", "rotation.png", Math.cos(theta), -Math.sin(theta),
                        Math.sin(theta), Math.cos(theta)),
                new Map2("shear", "shear.png", 1, 1, 0, 1),
                new Map2("symmetric stretch", "stretch.png", 2, 1, 1, 2));
    }

    static Eigen2 eigen(Map2 m) {
        double half = m.trace() / 2;
        double disc = half * half - m.det();
        if (disc < -1e-12) {
            return new Eigen2(new double[0], new double[0][], half, Math.sqrt(-disc));
        }
        double root = Math.sqrt(Math.max(disc, 0));
        if (root < 1e-12) {
            // a repeated root: A - lambda I is zero (every vector is an eigenvector) or has rank 1 (one direction)
            if (Math.abs(m.b) < 1e-12 && Math.abs(m.c) < 1e-12) {
                return new Eigen2(new double[] {half, half}, new double[][] {{1, 0}, {0, 1}}, half, 0);
            }
            return new Eigen2(new double[] {half}, new double[][] {nullVector(m, half)}, half, 0);
        }
        double l1 = half + root;
        double l2 = half - root;
        return new Eigen2(new double[] {l1, l2}, new double[][] {nullVector(m, l1), nullVector(m, l2)}, half, 0);
    }

    /** A unit vector v with (A - lambda I) v = 0: (b, lambda - a) or (lambda - d, c), whichever is longer. */
    private static double[] nullVector(Map2 m, double lambda) {
        double[] p = {m.b, lambda - m.a};
        double[] q = {lambda - m.d, m.c};
        double[] v = Math.hypot(p[0], p[1]) >= Math.hypot(q[0], q[1]) ? p : q;
        double n = Math.hypot(v[0], v[1]);
        return new double[] {v[0] / n, v[1] / n};
    }

    /** Prints the map's determinant and eigen-structure; returns the largest residual |A v - lambda v|. */
    static double describe(ChapterContext ctx, Map2 m) {
        Eigen2 e = eigen(m);
        ctx.printf("%s  A = [[%.3f, %.3f], [%.3f, %.3f]]  det = %.3f  trace = %.3f%n", m.name, m.a, m.b, m.c, m.d,
                m.det(), m.trace());
        if (e.complex()) {
            ctx.printf("    eigenvalues %.3f +- %.3fi (complex, |lambda| = %.3f): no real direction is kept%n",
                    e.re, e.im, Math.hypot(e.re, e.im));
            return 0;
        }
        double worst = 0;
        for (int i = 0; i < e.values.length; i++) {
            Tensor v = Tensor.vector((float) e.vectors[i][0], (float) e.vectors[i][1]);
            double r = m.matrix().matmul(v).sub(v.mul((float) e.values[i])).abs().max().item();
            worst = Math.max(worst, r);
            ctx.printf("    lambda = %.3f, v = (%.3f, %.3f), |A v - lambda v| = %.1e%n", e.values[i], e.vectors[i][0],
                    e.vectors[i][1], r);
        }
        if (e.values.length == 1) {
            ctx.println("    a repeated eigenvalue with a single eigenvector direction: the matrix is defective");
        }
        return worst;
    }

    /** Before (grey) and after (colour): a grid, the unit square and circle, A's columns and its eigenvectors. */
    static void draw(Map2 m, Path file) {
        Color before = new Color(190, 190, 190);
        Color gridAfter = new Color(160, 190, 225);
        PlanePlot plot = new PlanePlot(m.name + String.format(java.util.Locale.ROOT, " (det %.2f)", m.det()), "x", "y");
        for (int k = -2; k <= 2; k++) {
            double t = k / 2.0;
            plot.line(new double[] {t, t}, new double[] {-1, 1}, before);
            plot.line(new double[] {-1, 1}, new double[] {t, t}, before);
        }
        for (int k = -2; k <= 2; k++) {
            double t = k / 2.0;
            plot.line(new double[] {m.x(t, -1), m.x(t, 1)}, new double[] {m.y(t, -1), m.y(t, 1)}, gridAfter);
            plot.line(new double[] {m.x(-1, t), m.x(1, t)}, new double[] {m.y(-1, t), m.y(1, t)}, gridAfter);
        }
        double[] sx = {0, 1, 1, 0};
        double[] sy = {0, 0, 1, 1};
        int n = 120;
        double[] cx = new double[n];
        double[] cy = new double[n];
        for (int i = 0; i < n; i++) {
            cx[i] = Math.cos(2 * Math.PI * i / n);
            cy[i] = Math.sin(2 * Math.PI * i / n);
        }
        plot.shape("", sx, sy, before).shape("", cx, cy, before);
        plot.shape("A (unit square): area |det|", mapX(m, sx, sy), mapY(m, sx, sy), Palette.category(0));
        plot.shape("A (unit circle)", mapX(m, cx, cy), mapY(m, cx, cy), Palette.category(1));
        // A's columns, then its eigenvectors scaled by their eigenvalues; arrows that end at the
        // same point (the shear's e1 is an eigenvector) share one label
        List<double[]> tips = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        addArrow(tips, labels, colours, m.a, m.c, "A e1", Color.DARK_GRAY);
        addArrow(tips, labels, colours, m.b, m.d, "A e2", Color.DARK_GRAY);
        Eigen2 e = eigen(m);
        for (int i = 0; i < e.values.length; i++) {
            double[] v = e.vectors[i];
            addArrow(tips, labels, colours, e.values[i] * v[0], e.values[i] * v[1],
                    String.format(java.util.Locale.ROOT, "A v%d = %.2f v%d", i + 1, e.values[i], i + 1),
                    Palette.category(2 + i));
        }
        for (int i = 0; i < tips.size(); i++) {
            plot.arrow(0, 0, tips.get(i)[0], tips.get(i)[1], colours.get(i), labels.get(i));
        }
        plot.save(file);
    }

    private static void addArrow(List<double[]> tips, List<String> labels, List<Color> colours, double x, double y,
                                 String label, Color colour) {
        for (int i = 0; i < tips.size(); i++) {
            if (Math.hypot(tips.get(i)[0] - x, tips.get(i)[1] - y) < 1e-9) {
                labels.set(i, labels.get(i) + " = " + label);
                colours.set(i, colour);
                return;
            }
        }
        tips.add(new double[] {x, y});
        labels.add(label);
        colours.add(colour);
    }

    private static double[] mapX(Map2 m, double[] x, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = m.x(x[i], y[i]);
        }
        return out;
    }

    private static double[] mapY(Map2 m, double[] x, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = m.y(x[i], y[i]);
        }
        return out;
    }

    /** The names of the pictures {@link #draw} writes, for messages. */
    static List<String> files() {
        List<String> names = new ArrayList<>();
        examples().forEach(m -> names.add(m.file()));
        return names;
    }
}
