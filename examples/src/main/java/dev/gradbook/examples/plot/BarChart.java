package dev.gradbook.examples.plot;

import java.awt.Color;
import java.awt.FontMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bars for named categories, one group per category and one bar per series in each group, with
 * the value written above each bar: survival rate by class and sex, accuracy per model.
 * <pre>{@code
 * new BarChart("Survival rate", "class", "rate").categories(List.of("1st", "2nd", "3rd"))
 *     .series("female", new double[] {0.97, 0.89, 0.49})
 *     .series("male", new double[] {0.34, 0.15, 0.15})
 *     .save(ctx.outFile("survival.png"));
 * }</pre>
 */
public final class BarChart {
    private record Series(String name, double[] values) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private List<String> categories = List.of();
    private int width = 760;
    private int height = 480;

    public BarChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** The category names along the x axis, in order. */
    public BarChart categories(List<String> names) {
        this.categories = List.copyOf(names);
        return this;
    }

    /** One value per category; several series give grouped bars and a legend. */
    public BarChart series(String name, double[] values) {
        if (values.length != categories.size()) {
            throw new IllegalArgumentException("BarChart: series '" + name + "' has " + values.length
                    + " values for " + categories.size() + " categories (set categories first)");
        }
        series.add(new Series(name, values.clone()));
        return this;
    }

    public BarChart size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    public void save(Path file) {
        double lo = 0;
        double hi = 0;
        for (Series s : series) {
            for (double v : s.values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        hi += (hi - lo) * 0.08; // room for the value labels
        int n = categories.size();
        Canvas c = new Canvas(width, height);
        c.title(title);
        Axes axes = new Axes(width, height, Axes.RIGHT, 0, Math.max(1, n), lo, hi, false);
        drawFrame(c, axes);
        int groups = Math.max(1, series.size());
        double slot = (double) axes.width / Math.max(1, n);
        double barW = slot * 0.8 / groups;
        c.g.setFont(Canvas.SMALL);
        FontMetrics fm = c.g.getFontMetrics();
        for (int k = 0; k < series.size(); k++) {
            for (int i = 0; i < n; i++) {
                double v = series.get(k).values[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                int x = (int) Math.round(axes.x0 + i * slot + slot * 0.1 + k * barW);
                int top = axes.py(Math.max(v, 0));
                int bottom = axes.py(Math.min(v, 0));
                c.g.setColor(Palette.category(k));
                c.g.fillRect(x, top, Math.max(1, (int) Math.round(barW) - 2), Math.max(1, bottom - top));
                String label = Axes.format(Math.abs(v) >= 100 ? Math.rint(v) : Math.round(v * 1000) / 1000.0);
                if (fm.stringWidth(label) <= barW + 8) {
                    c.g.setColor(Color.BLACK);
                    c.g.drawString(label, x + (int) (barW - fm.stringWidth(label)) / 2, top - 3);
                }
            }
        }
        legend(c, axes);
        c.save(file);
    }

    /** Value ticks and grid lines on y, a line at zero; the category names under the groups on x. */
    private void drawFrame(Canvas c, Axes axes) {
        axes.drawYTicks(c);
        c.g.setColor(Color.DARK_GRAY);
        c.g.drawRect(axes.x0, axes.y0, axes.width, axes.height);
        c.g.drawLine(axes.x0, axes.py(0), axes.x0 + axes.width, axes.py(0));
        c.g.setFont(Canvas.LABEL);
        FontMetrics lm = c.g.getFontMetrics();
        double slot = (double) axes.width / Math.max(1, categories.size());
        for (int i = 0; i < categories.size(); i++) {
            String s = categories.get(i);
            c.g.drawString(s, (int) (axes.x0 + (i + 0.5) * slot) - lm.stringWidth(s) / 2, axes.y0 + axes.height + 18);
        }
        axes.drawLabels(c, xLabel, yLabel, 40);
    }

    /** A legend when there are several series. */
    private void legend(Canvas c, Axes axes) {
        if (series.size() < 2) {
            return;
        }
        Legend legend = new Legend();
        for (int k = 0; k < series.size(); k++) {
            legend.add(series.get(k).name, Legend.Mark.BOX, Palette.category(k));
        }
        legend.drawInEmptiestCorner(c, axes);
    }
}
