package dev.gradbook.examples.plot;

import java.awt.BasicStroke;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines of (x, y) points with a legend: loss curves, learning-rate schedules, accuracy against k.
 * <pre>{@code
 * new LineChart("Loss", "step", "loss").series("train", steps, trainLoss).series("val", steps, valLoss)
 *     .save(ctx.outFile("loss.png"));
 * }</pre>
 */
public final class LineChart {
    private record Series(String name, double[] x, double[] y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;
    private boolean logX;
    private int width = 800;
    private int height = 500;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("LineChart: series '" + name + "' has " + x.length + " x values and "
                    + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /**
     * A training curve: {@code perStep.get(k)} was measured at step k, before the k-th update, so
     * the first point sits at step 0 and shows the untrained model.
     */
    public LineChart trainingCurve(String name, List<? extends Number> perStep) {
        double[] xs = new double[perStep.size()];
        double[] ys = new double[perStep.size()];
        for (int k = 0; k < ys.length; k++) {
            xs[k] = k;
            ys[k] = perStep.get(k).doubleValue();
        }
        return series(name, xs, ys);
    }

    /** A series whose x values count from 1 (a component, an epoch): 1, 2, 3, ... */
    public LineChart series(String name, List<? extends Number> y) {
        double[] xs = new double[y.size()];
        double[] ys = new double[y.size()];
        for (int i = 0; i < ys.length; i++) {
            xs[i] = i + 1;
            ys[i] = y.get(i).doubleValue();
        }
        return series(name, xs, ys);
    }

    /** A logarithmic y axis (values must be positive). */
    public LineChart logY(boolean on) {
        this.logY = on;
        return this;
    }

    /** A logarithmic x axis (points with x <= 0 are left out): a power law {@code y = a x^k} is then a straight line with a log y axis. */
    public LineChart logX(boolean on) {
        this.logX = on;
        return this;
    }

    public LineChart size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    public void save(Path file) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (drawn(s, i)) {
                    xMin = Math.min(xMin, s.x[i]);
                    xMax = Math.max(xMax, s.x[i]);
                    yMin = Math.min(yMin, s.y[i]);
                    yMax = Math.max(yMax, s.y[i]);
                }
            }
        }
        boolean log = logY && yMin > 0;
        // a little room above and below the data, so that no line runs along the frame
        if (log) {
            double f = Math.pow(yMax / yMin, 0.04);
            yMin /= f;
            yMax *= f;
        } else if (yMax > yMin) {
            double pad = 0.04 * (yMax - yMin);
            yMin -= pad;
            yMax += pad;
        }
        // steps, epochs and iterations are counted from 0: the axis starts there
        if (!logX && xMin > 0 && xMin <= 0.25 * xMax) {
            xMin = 0;
        }
        Canvas c = new Canvas(width, height);
        c.title(title);
        Axes axes = new Axes(width, height, Axes.RIGHT, xMin, xMax, yMin, yMax, logX && xMin > 0, log);
        axes.draw(c, xLabel, yLabel);
        c.g.setClip(axes.x0, axes.y0, axes.width + 1, axes.height + 1);
        c.g.setStroke(new BasicStroke(2f));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            c.g.setColor(Palette.category(k));
            int prevX = Integer.MIN_VALUE;
            int prevY = 0;
            for (int i = 0; i < s.x.length; i++) {
                if (!drawn(s, i)) {
                    prevX = Integer.MIN_VALUE;
                    continue;
                }
                int x = axes.px(s.x[i]);
                int y = axes.py(s.y[i]);
                if (prevX != Integer.MIN_VALUE) {
                    c.g.drawLine(prevX, prevY, x, y);
                } else if (s.x.length == 1) {
                    c.g.fillOval(x - 3, y - 3, 6, 6);
                }
                prevX = x;
                prevY = y;
            }
        }
        c.g.setClip(null);
        drawLegend(c, axes);
        c.save(file);
    }

    /** Whether point i can be drawn: a finite y, positive where the axis is logarithmic. */
    private boolean drawn(Series s, int i) {
        return Double.isFinite(s.y[i]) && (!logY || s.y[i] > 0) && (!logX || s.x[i] > 0);
    }

    /** A legend unless there is only one series and it has no name. */
    private void drawLegend(Canvas c, Axes axes) {
        if (series.size() < 2 && (series.isEmpty() || series.get(0).name.isEmpty())) {
            return;
        }
        Legend legend = new Legend();
        for (int k = 0; k < series.size(); k++) {
            legend.add(series.get(k).name, Legend.Mark.LINE, Palette.category(k));
        }
        legend.drawInEmptiestCorner(c, axes);
    }
}
