package dev.gradbook.examples.plot;

import java.awt.Color;
import java.awt.FontMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rectangular plot area with a data range on each axis: maps data coordinates to pixels and
 * draws the frame, "nice" ticks (steps of 1, 2 or 5 times a power of ten), grid lines and labels.
 * A logarithmic y axis is available for loss curves that span orders of magnitude, and a
 * logarithmic x axis for costs against sizes (a power law is then a straight line).
 */
final class Axes {
    static final int LEFT = 70;
    static final int RIGHT = 20;
    static final int TOP = 36;
    static final int BOTTOM = 50;

    final int x0;
    final int y0;
    final int width;
    final int height;
    final double xMin;
    final double xMax;
    final double yMin;
    final double yMax;
    final boolean logY;
    final boolean logX;

    Axes(int imageWidth, int imageHeight, int rightMargin, double xMin, double xMax, double yMin, double yMax,
         boolean logY) {
        this(imageWidth, imageHeight, rightMargin, xMin, xMax, yMin, yMax, false, logY);
    }

    /** With a logarithmic x axis too when {@code logX} (then {@code 0 < xMin}). */
    Axes(int imageWidth, int imageHeight, int rightMargin, double xMin, double xMax, double yMin, double yMax,
         boolean logX, boolean logY) {
        this.x0 = LEFT;
        this.y0 = TOP;
        this.width = imageWidth - LEFT - rightMargin;
        this.height = imageHeight - TOP - BOTTOM;
        double[] xr = logX ? new double[] {Math.log10(xMin), Math.log10(xMax)} : widen(xMin, xMax);
        if (logX && xr[1] - xr[0] < 1e-9) {
            xr = new double[] {xr[0] - 0.5, xr[1] + 0.5};
        }
        double[] yr = logY ? new double[] {Math.log10(yMin), Math.log10(yMax)} : widen(yMin, yMax);
        if (logY && yr[1] - yr[0] < 1e-9) {
            yr = new double[] {yr[0] - 0.5, yr[1] + 0.5};
        }
        this.xMin = xr[0];
        this.xMax = xr[1];
        this.yMin = yr[0];
        this.yMax = yr[1];
        this.logY = logY;
        this.logX = logX;
    }

    /** A degenerate range (all values equal, or none) is widened so that it can be drawn. */
    private static double[] widen(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return new double[] {0, 1};
        }
        if (hi - lo < 1e-12) {
            double pad = Math.max(Math.abs(lo) * 0.1, 0.5);
            return new double[] {lo - pad, hi + pad};
        }
        return new double[] {lo, hi};
    }

    int px(double x) {
        double v = logX ? Math.log10(Math.max(x, 1e-300)) : x;
        return x0 + (int) Math.round((v - xMin) / (xMax - xMin) * width);
    }

    int py(double y) {
        double v = logY ? Math.log10(Math.max(y, 1e-300)) : y;
        return y0 + height - (int) Math.round((v - yMin) / (yMax - yMin) * height);
    }

    /** Data x at pixel column {@code px} (for shading decision regions). */
    double dataX(int px) {
        return xMin + (px - x0 + 0.5) / width * (xMax - xMin);
    }

    double dataY(int py) {
        return yMin + (y0 + height - py - 0.5) / height * (yMax - yMin);
    }

    void draw(Canvas c, String xLabel, String yLabel) {
        c.g.setFont(Canvas.SMALL);
        FontMetrics fm = c.g.getFontMetrics();
        for (double t : logX ? logTicks(xMin, xMax) : ticks(xMin, xMax)) {
            int x = x0 + (int) Math.round((t - xMin) / (xMax - xMin) * width); // t is already log10 if logX
            c.g.setColor(new Color(235, 235, 235));
            c.g.drawLine(x, y0, x, y0 + height);
            c.g.setColor(Color.DARK_GRAY);
            c.g.drawLine(x, y0 + height, x, y0 + height + 4);
            String s = logX ? format(Math.pow(10, t)) : format(t);
            c.g.drawString(s, x - fm.stringWidth(s) / 2, y0 + height + 16);
        }
        drawYTicks(c);
        c.g.setColor(Color.DARK_GRAY);
        c.g.drawRect(x0, y0, width, height);
        drawLabels(c, xLabel, yLabel, 38);
    }

    /** Grid lines across the plot and labelled ticks on the y axis. */
    void drawYTicks(Canvas c) {
        c.g.setFont(Canvas.SMALL);
        FontMetrics fm = c.g.getFontMetrics();
        for (double t : ticks(yMin, yMax)) {
            int y = y0 + height - (int) Math.round((t - yMin) / (yMax - yMin) * height); // t is already log10 if logY
            c.g.setColor(new Color(235, 235, 235));
            c.g.drawLine(x0, y, x0 + width, y);
            c.g.setColor(Color.DARK_GRAY);
            c.g.drawLine(x0 - 4, y, x0, y);
            String s = logY ? format(Math.pow(10, t)) : format(t);
            c.g.drawString(s, x0 - 6 - fm.stringWidth(s), y + 4);
        }
    }

    /** The axis names: x centred {@code xLabelBelow} pixels under the plot, y turned up along the left side. */
    void drawLabels(Canvas c, String xLabel, String yLabel, int xLabelBelow) {
        c.g.setColor(Color.DARK_GRAY);
        c.g.setFont(Canvas.LABEL);
        FontMetrics lm = c.g.getFontMetrics();
        if (xLabel != null) {
            xLabel = xLabel + (logX ? " (log scale)" : "");
            c.g.drawString(xLabel, x0 + (width - lm.stringWidth(xLabel)) / 2, y0 + height + xLabelBelow);
        }
        if (yLabel != null) {
            var saved = c.g.getTransform();
            c.g.rotate(-Math.PI / 2);
            c.g.drawString(yLabel + (logY ? " (log scale)" : ""), -(y0 + height / 2 + lm.stringWidth(yLabel) / 2), 16);
            c.g.setTransform(saved);
        }
    }

    /** Round tick positions: about five steps of 1, 2 or 5 times a power of ten. */
    static List<Double> ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        int exponent = (int) Math.floor(Math.log10(raw));
        double multiple = 10;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * Math.pow(10, exponent) >= raw) {
                multiple = m;
                break;
            }
        }
        // tick k sits at k * multiple * 10^exponent; dividing by 10^-exponent keeps 0.6 exact
        double scale = Math.pow(10, Math.abs(exponent));
        double step = exponent >= 0 ? multiple * scale : multiple / scale;
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
            double t = exponent >= 0 ? k * multiple * scale : k * multiple / scale;
            out.add(t == 0 ? 0.0 : t);
        }
        return out;
    }

    /**
     * Ticks of a logarithmic axis whose range {@code [lo, hi]} is given in log10 units: 1, 2 and 5
     * times the powers of ten inside it (only the powers when it spans more than three decades);
     * returned as log10 values. Falls back to {@link #ticks} for a range shorter than a factor 2.
     */
    static List<Double> logTicks(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        double[] multiples = hi - lo > 3 ? new double[] {1} : new double[] {1, 2, 5};
        for (int e = (int) Math.floor(lo); e <= (int) Math.ceil(hi); e++) {
            for (double m : multiples) {
                double t = e + Math.log10(m);
                if (t >= lo - 1e-9 && t <= hi + 1e-9) {
                    out.add(t);
                }
            }
        }
        return out.size() >= 2 ? out : ticks(lo, hi);
    }

    static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.0e", v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
