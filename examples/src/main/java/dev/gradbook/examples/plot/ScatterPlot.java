package dev.gradbook.examples.plot;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * Points coloured by class, optionally over shaded regions showing what a classifier predicts
 * at every location (a decision boundary), e.g. an MLP on two moons or a t-SNE embedding.
 */
public final class ScatterPlot {
    private record Points(double[] x, double[] y, int[] classes, List<String> labels) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Points> points = new ArrayList<>();
    private DoubleBinaryOperator regions;
    private List<String> classNames = List.of();

    public ScatterPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Points with a class each (0, 1, ...), drawn in the class colour. */
    public ScatterPlot points(double[] x, double[] y, int[] classes) {
        if (x.length != y.length || x.length != classes.length) {
            throw new IllegalArgumentException("ScatterPlot: x, y and classes have lengths " + x.length + ", "
                    + y.length + ", " + classes.length);
        }
        points.add(new Points(x.clone(), y.clone(), classes.clone(), List.of()));
        return this;
    }

    /** Points as {@link #points}, each with a text label written beside it (words in an embedding, say). */
    public ScatterPlot labelledPoints(double[] x, double[] y, int[] classes, List<String> labels) {
        points(x, y, classes);
        if (labels.size() != x.length) {
            throw new IllegalArgumentException("ScatterPlot: " + x.length + " points but " + labels.size() + " labels");
        }
        Points p = points.remove(points.size() - 1);
        points.add(new Points(p.x, p.y, p.classes, List.copyOf(labels)));
        return this;
    }

    /** Names for the legend, by class index. */
    public ScatterPlot classNames(List<String> names) {
        this.classNames = List.copyOf(names);
        return this;
    }

    /** Shades the background by {@code classifier(x, y)}, which returns a class index. */
    public ScatterPlot regions(DoubleBinaryOperator classifier) {
        this.regions = classifier;
        return this;
    }

    public void save(Path file) {
        int width = 700;
        int height = 600;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Points p : points) {
            for (int i = 0; i < p.x.length; i++) {
                xMin = Math.min(xMin, p.x[i]);
                xMax = Math.max(xMax, p.x[i]);
                yMin = Math.min(yMin, p.y[i]);
                yMax = Math.max(yMax, p.y[i]);
            }
        }
        double padX = (xMax - xMin) * 0.05;
        double padY = (yMax - yMin) * 0.05;
        int legendWidth = classNames.isEmpty() ? Axes.RIGHT : 110;
        Canvas c = new Canvas(width, height);
        c.title(title);
        Axes axes = new Axes(width, height, legendWidth, xMin - padX, xMax + padX, yMin - padY, yMax + padY, false);
        if (regions != null) {
            int cell = 4;
            for (int py = axes.y0; py < axes.y0 + axes.height; py += cell) {
                for (int px = axes.x0; px < axes.x0 + axes.width; px += cell) {
                    int k = (int) regions.applyAsDouble(axes.dataX(px + cell / 2), axes.dataY(py + cell / 2));
                    c.g.setColor(Palette.light(k));
                    c.g.fillRect(px, py, cell, cell);
                }
            }
        }
        axes.draw(c, xLabel, yLabel);
        for (Points p : points) {
            for (int i = 0; i < p.x.length; i++) {
                int x = axes.px(p.x[i]);
                int y = axes.py(p.y[i]);
                c.g.setColor(Palette.category(p.classes[i]));
                c.g.fillOval(x - 3, y - 3, 7, 7);
                c.g.setColor(new Color(0, 0, 0, 90));
                c.g.drawOval(x - 3, y - 3, 7, 7);
                if (!p.labels.isEmpty()) {
                    c.g.setFont(Canvas.LABEL);
                    c.g.setColor(Color.DARK_GRAY);
                    c.g.drawString(p.labels.get(i), x + 6, y - 4);
                }
            }
        }
        c.g.setFont(Canvas.LABEL);
        for (int k = 0; k < classNames.size(); k++) {
            int y = axes.y0 + 10 + k * 18;
            c.g.setColor(Palette.category(k));
            c.g.fillOval(axes.x0 + axes.width + 12, y, 9, 9);
            c.g.setColor(Color.BLACK);
            c.g.drawString(classNames.get(k), axes.x0 + axes.width + 26, y + 9);
        }
        c.save(file);
    }
}
