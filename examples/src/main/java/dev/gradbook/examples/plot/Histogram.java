package dev.gradbook.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Samples counted in equal-width bins, optionally with density curves on top: a sample against
 * the distribution it was drawn from. With a density curve the bars show density
 * ({@code count / (n * binWidth)}, total area 1) so that the two can be compared.
 * <pre>{@code
 * new Histogram("N(2, 3^2): 10,000 samples", "x").sample("samples", xs)
 *     .density("N(2, 9) density", x -> normalPdf(x, 2, 3)).save(ctx.outFile("normal.png"));
 * }</pre>
 */
public final class Histogram {
    private record Sample(String name, double[] values) {
    }

    private record Density(String name, DoubleUnaryOperator pdf) {
    }

    private final String title;
    private final String xLabel;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Density> densities = new ArrayList<>();
    private int bins = 30;
    private double lo = Double.NaN;
    private double hi = Double.NaN;

    public Histogram(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /** A sample to count; several samples are drawn as translucent bars over each other. */
    public Histogram sample(String name, double[] values) {
        samples.add(new Sample(name, values.clone()));
        return this;
    }

    /** A density curve drawn over the bars (which then show density rather than counts). */
    public Histogram density(String name, DoubleUnaryOperator pdf) {
        densities.add(new Density(name, pdf));
        return this;
    }

    public Histogram bins(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("Histogram: the number of bins must be positive, got " + count);
        }
        this.bins = count;
        return this;
    }

    /** The binned range (default: from the smallest to the largest finite value); values outside are left out. */
    public Histogram range(double low, double high) {
        if (!(high > low)) {
            throw new IllegalArgumentException("Histogram: empty range [" + low + ", " + high + "]");
        }
        this.lo = low;
        this.hi = high;
        return this;
    }

    /** Bin counts of {@code values} over [low, high) in {@code bins} equal bins (the last bin includes high). */
    public static int[] counts(double[] values, double low, double high, int bins) {
        int[] counts = new int[bins];
        for (double v : values) {
            if (v >= low && v <= high) {
                counts[Math.min(bins - 1, (int) ((v - low) / (high - low) * bins))]++;
            }
        }
        return counts;
    }

    public void save(Path file) {
        double low = lo;
        double high = hi;
        if (Double.isNaN(low)) {
            low = Double.POSITIVE_INFINITY;
            high = Double.NEGATIVE_INFINITY;
            for (Sample s : samples) {
                for (double v : s.values) {
                    if (Double.isFinite(v)) {
                        low = Math.min(low, v);
                        high = Math.max(high, v);
                    }
                }
            }
            if (!(high > low)) {
                low = Double.isFinite(low) ? low - 0.5 : 0;
                high = low + 1;
            }
        }
        boolean density = !densities.isEmpty();
        double binWidth = (high - low) / bins;
        double[][] heights = new double[samples.size()][];
        double top = 0;
        for (int k = 0; k < samples.size(); k++) {
            int[] counts = counts(samples.get(k).values, low, high, bins);
            heights[k] = new double[bins];
            for (int b = 0; b < bins; b++) {
                heights[k][b] = density ? counts[b] / (samples.get(k).values.length * binWidth) : counts[b];
                top = Math.max(top, heights[k][b]);
            }
        }
        int curvePoints = 300;
        double[][] curves = new double[densities.size()][curvePoints];
        for (int k = 0; k < densities.size(); k++) {
            for (int i = 0; i < curvePoints; i++) {
                curves[k][i] = densities.get(k).pdf.applyAsDouble(low + (high - low) * i / (curvePoints - 1));
                if (Double.isFinite(curves[k][i])) {
                    top = Math.max(top, curves[k][i]);
                }
            }
        }
        Canvas c = new Canvas(760, 480);
        c.title(title);
        Axes axes = new Axes(760, 480, Axes.RIGHT, low, high, 0, top * 1.05, false);
        axes.draw(c, xLabel, density ? "density" : "count");
        for (int k = 0; k < samples.size(); k++) {
            Color base = Palette.category(k);
            Color fill = new Color(base.getRed(), base.getGreen(), base.getBlue(), samples.size() > 1 ? 120 : 200);
            for (int b = 0; b < bins; b++) {
                int x0 = axes.px(low + b * binWidth);
                int x1 = axes.px(low + (b + 1) * binWidth);
                int y = axes.py(heights[k][b]);
                if (heights[k][b] <= 0) {
                    continue;
                }
                c.g.setColor(fill);
                c.g.fillRect(x0, y, Math.max(1, x1 - x0), axes.y0 + axes.height - y);
                c.g.setColor(Color.WHITE);
                c.g.drawLine(x1, y, x1, axes.y0 + axes.height - 1);
            }
        }
        c.g.setStroke(new BasicStroke(2.5f));
        for (int k = 0; k < densities.size(); k++) {
            c.g.setColor(Palette.category(samples.size() + k));
            for (int i = 1; i < curvePoints; i++) {
                if (Double.isFinite(curves[k][i - 1]) && Double.isFinite(curves[k][i])) {
                    c.g.drawLine(axes.px(low + (high - low) * (i - 1) / (curvePoints - 1)), axes.py(curves[k][i - 1]),
                            axes.px(low + (high - low) * i / (curvePoints - 1)), axes.py(curves[k][i]));
                }
            }
        }
        legend(c, axes);
        c.save(file);
    }

    /** A legend, samples as boxes and densities as lines, unless nothing has a name. */
    private void legend(Canvas c, Axes axes) {
        if (samples.stream().allMatch(s -> s.name.isEmpty()) && densities.stream().allMatch(d -> d.name.isEmpty())) {
            return;
        }
        Legend legend = new Legend();
        int k = 0; // the colours follow the drawing order: samples, then densities
        for (Sample s : samples) {
            legend.add(s.name, Legend.Mark.BOX, Palette.category(k++));
        }
        for (Density d : densities) {
            legend.add(d.name, Legend.Mark.LINE, Palette.category(k++));
        }
        legend.drawInEmptiestCorner(c, axes);
    }
}
