package dev.gradbook.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * Geometry in the plane with equal units on both axes: curves, closed shapes, arrows and
 * labelled points, optionally over a shaded scalar field {@code f(x, y)} with contour lines.
 * For linear maps (a grid and a circle before and after, eigenvectors as arrows) and for
 * optimisation paths over a loss surface.
 * <pre>{@code
 * new PlanePlot("Gradient descent on Rosenbrock", "x", "y")
 *     .range(-2, 2, -1, 3).field("log10(1 + f)", f, true, 12)
 *     .curve("path", xs, ys, Palette.category(0))
 *     .point(1, 1, Color.BLACK, "minimum")
 *     .save(ctx.outFile("path.png"));
 * }</pre>
 */
public final class PlanePlot {
    private record Curve(String name, double[] x, double[] y, Color colour, float width, boolean closed) {
    }

    private record Arrow(double x0, double y0, double x1, double y1, Color colour, String label) {
    }

    private record Point(double x, double y, Color colour, String label) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Curve> curves = new ArrayList<>();
    private final List<Arrow> arrows = new ArrayList<>();
    private final List<Point> marks = new ArrayList<>();
    private double[] range;
    private DoubleBinaryOperator field;
    private boolean fieldLog;
    private int fieldLevels;
    private String fieldName = "";
    private int width = 640;
    private int height = 600;

    public PlanePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** The part of the plane to show (widened on one axis so that units are equal); default: fit the contents. */
    public PlanePlot range(double xMin, double xMax, double yMin, double yMax) {
        if (!(xMax > xMin) || !(yMax > yMin)) {
            throw new IllegalArgumentException("PlanePlot: empty range x [" + xMin + ", " + xMax + "], y ["
                    + yMin + ", " + yMax + "]");
        }
        this.range = new double[] {xMin, xMax, yMin, yMax};
        return this;
    }

    public PlanePlot size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Shades the background by {@code f(x, y)}, light for low values and dark red for high ones,
     * with a contour line between each of {@code levels} equal steps of the value
     * ({@code log10(1 + f - min)} if {@code log}, for a surface that spans orders of magnitude).
     */
    public PlanePlot field(String name, DoubleBinaryOperator f, boolean log, int levels) {
        this.fieldName = name;
        this.field = f;
        this.fieldLog = log;
        this.fieldLevels = Math.max(1, levels);
        return this;
    }

    /** An open polyline through the points; named curves appear in the legend. */
    public PlanePlot curve(String name, double[] x, double[] y, Color colour) {
        return add(name, x, y, colour, 2f, false);
    }

    /** A thin polyline, unnamed: grid lines and other background geometry. */
    public PlanePlot line(double[] x, double[] y, Color colour) {
        return add("", x, y, colour, 1f, false);
    }

    /** A closed polygon (the last point joins the first). */
    public PlanePlot shape(String name, double[] x, double[] y, Color colour) {
        return add(name, x, y, colour, 2f, true);
    }

    private PlanePlot add(String name, double[] x, double[] y, Color colour, float lineWidth, boolean closed) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("PlanePlot: curve '" + name + "' has " + x.length + " x values and "
                    + y.length + " y values");
        }
        curves.add(new Curve(name, x.clone(), y.clone(), colour, lineWidth, closed));
        return this;
    }

    /** An arrow from (x0, y0) to (x1, y1), with an optional label at its tip. */
    public PlanePlot arrow(double x0, double y0, double x1, double y1, Color colour, String label) {
        arrows.add(new Arrow(x0, y0, x1, y1, colour, label == null ? "" : label));
        return this;
    }

    /** A dot with an optional label beside it. */
    public PlanePlot point(double x, double y, Color colour, String label) {
        marks.add(new Point(x, y, colour, label == null ? "" : label));
        return this;
    }

    public void save(Path file) {
        Canvas c = new Canvas(width, height);
        c.g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        c.title(title);
        Axes axes = equalUnits(range != null ? range : contentRange());
        if (field != null) {
            shade(c, axes);
        }
        axes.draw(c, xLabel, yLabel);
        c.g.setClip(axes.x0, axes.y0, axes.width + 1, axes.height + 1);
        for (Curve k : curves) {
            c.g.setColor(k.colour);
            c.g.setStroke(new BasicStroke(k.width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D.Double p = new Path2D.Double();
            for (int i = 0; i < k.x.length; i++) {
                if (i == 0) {
                    p.moveTo(fx(axes, k.x[i]), fy(axes, k.y[i]));
                } else {
                    p.lineTo(fx(axes, k.x[i]), fy(axes, k.y[i]));
                }
            }
            if (k.closed) {
                p.closePath();
            }
            c.g.draw(p);
        }
        c.g.setStroke(new BasicStroke(2.5f));
        c.g.setFont(Canvas.LABEL);
        for (Arrow a : arrows) {
            drawArrow(c, axes, a);
        }
        for (Point m : marks) {
            int x = axes.px(m.x);
            int y = axes.py(m.y);
            c.g.setColor(m.colour);
            c.g.fillOval(x - 5, y - 5, 10, 10);
            c.g.setColor(Color.BLACK);
            c.g.drawString(m.label, x + 8, y - 6);
        }
        c.g.setClip(null);
        legend(c, axes);
        c.save(file);
    }

    /** Pixel coordinates without rounding, so that smooth curves stay smooth. */
    private static double fx(Axes axes, double x) {
        return axes.x0 + (x - axes.xMin) / (axes.xMax - axes.xMin) * axes.width;
    }

    private static double fy(Axes axes, double y) {
        return axes.y0 + axes.height - (y - axes.yMin) / (axes.yMax - axes.yMin) * axes.height;
    }

    /** Axes whose data range is widened on one side so that one unit has the same length in x and y. */
    private Axes equalUnits(double[] r) {
        double plotW = width - Axes.LEFT - Axes.RIGHT;
        double plotH = height - Axes.TOP - Axes.BOTTOM;
        double spanX = r[1] - r[0];
        double spanY = r[3] - r[2];
        double unit = Math.min(plotW / spanX, plotH / spanY); // pixels per data unit
        double padX = (plotW / unit - spanX) / 2;
        double padY = (plotH / unit - spanY) / 2;
        return new Axes(width, height, Axes.RIGHT, r[0] - padX, r[1] + padX, r[2] - padY, r[3] + padY, false);
    }

    private double[] contentRange() {
        double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (Curve k : curves) {
            for (int i = 0; i < k.x.length; i++) {
                grow(r, k.x[i], k.y[i]);
            }
        }
        for (Arrow a : arrows) {
            grow(r, a.x0, a.y0);
            grow(r, a.x1, a.y1);
        }
        for (Point m : marks) {
            grow(r, m.x, m.y);
        }
        if (!(r[1] > r[0]) || !(r[3] > r[2])) {
            return new double[] {-1, 1, -1, 1};
        }
        double pad = 0.05 * Math.max(r[1] - r[0], r[3] - r[2]);
        return new double[] {r[0] - pad, r[1] + pad, r[2] - pad, r[3] + pad};
    }

    private static void grow(double[] r, double x, double y) {
        if (Double.isFinite(x) && Double.isFinite(y)) {
            r[0] = Math.min(r[0], x);
            r[1] = Math.max(r[1], x);
            r[2] = Math.min(r[2], y);
            r[3] = Math.max(r[3], y);
        }
    }

    /** Background colour by the field's level, and a darker pixel wherever the level changes (a contour). */
    private void shade(Canvas c, Axes axes) {
        int cell = 2;
        int cols = axes.width / cell + 1;
        int rows = axes.height / cell + 1;
        double[][] v = new double[rows][cols];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[i][j] = field.applyAsDouble(axes.dataX(axes.x0 + j * cell), axes.dataY(axes.y0 + i * cell));
                if (Double.isFinite(v[i][j])) {
                    lo = Math.min(lo, v[i][j]);
                    hi = Math.max(hi, v[i][j]);
                }
            }
        }
        double top = scaled(hi, lo);
        int[][] level = new int[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double t = top > 0 ? scaled(v[i][j], lo) / top : 0;
                level[i][j] = Math.min(fieldLevels - 1, (int) (t * fieldLevels));
                c.g.setColor(shadeOf((level[i][j] + 0.5) / fieldLevels));
                c.g.fillRect(axes.x0 + j * cell, axes.y0 + i * cell, cell, cell);
            }
        }
        c.g.setColor(new Color(120, 120, 120));
        for (int i = 0; i + 1 < rows; i++) {
            for (int j = 0; j + 1 < cols; j++) {
                if (level[i][j] != level[i][j + 1] || level[i][j] != level[i + 1][j]) {
                    c.g.fillRect(axes.x0 + j * cell, axes.y0 + i * cell, 1, 1);
                }
            }
        }
    }

    /** A heat colour lightened halfway to white, so that curves drawn on top stay visible. */
    private static Color shadeOf(double t) {
        Color base = Palette.heat(t);
        return new Color((base.getRed() + 255) / 2, (base.getGreen() + 255) / 2, (base.getBlue() + 255) / 2);
    }

    private double scaled(double value, double lo) {
        return fieldLog ? Math.log10(1 + value - lo) : value - lo;
    }

    private static void drawArrow(Canvas c, Axes axes, Arrow a) {
        int x0 = axes.px(a.x0);
        int y0 = axes.py(a.y0);
        int x1 = axes.px(a.x1);
        int y1 = axes.py(a.y1);
        c.g.setColor(a.colour);
        c.g.drawLine(x0, y0, x1, y1);
        double angle = Math.atan2(y1 - y0, x1 - x0);
        int head = 11;
        Path2D.Double tip = new Path2D.Double();
        tip.moveTo(x1, y1);
        tip.lineTo(x1 - head * Math.cos(angle - 0.4), y1 - head * Math.sin(angle - 0.4));
        tip.lineTo(x1 - head * Math.cos(angle + 0.4), y1 - head * Math.sin(angle + 0.4));
        tip.closePath();
        c.g.fill(tip);
        if (!a.label.isEmpty()) {
            c.g.setColor(Color.BLACK);
            c.g.drawString(a.label, x1 + (int) (8 * Math.cos(angle)) + 3, y1 + (int) (8 * Math.sin(angle)) + 4);
        }
    }

    /** The named curves, then the field's name beside four of its shades. */
    private void legend(Canvas c, Axes axes) {
        Legend legend = new Legend();
        for (Curve k : curves) {
            if (!k.name.isEmpty()) {
                legend.add(k.name, Legend.Mark.LINE, k.colour);
            }
        }
        if (!fieldName.isEmpty() && field != null) {
            legend.add(fieldName, Legend.Mark.BOX,
                    shadeOf(0.5 / 4), shadeOf(1.5 / 4), shadeOf(2.5 / 4), shadeOf(3.5 / 4));
        }
        legend.drawInEmptiestCorner(c, axes);
    }
}
