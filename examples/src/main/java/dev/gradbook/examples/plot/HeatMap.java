package dev.gradbook.examples.plot;

import java.awt.Color;
import java.awt.FontMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A matrix drawn as coloured cells, with row and column labels and, for small matrices, the
 * value in each cell: confusion matrices, attention weights, correlation tables.
 */
public final class HeatMap {
    private final String title;
    private final double[][] values;
    private List<String> rowLabels = List.of();
    private List<String> columnLabels = List.of();
    private String rowAxis = "";
    private String columnAxis = "";

    public HeatMap(String title, double[][] values) {
        this.title = title;
        this.values = values;
        for (double[] row : values) {
            if (row.length != values[0].length) {
                throw new IllegalArgumentException("HeatMap: rows have different lengths");
            }
        }
    }

    /** A heat map of an int matrix, such as a confusion matrix. */
    public static HeatMap of(String title, int[][] counts) {
        double[][] v = new double[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            v[i] = new double[counts[i].length];
            for (int j = 0; j < counts[i].length; j++) {
                v[i][j] = counts[i][j];
            }
        }
        return new HeatMap(title, v);
    }

    public HeatMap labels(List<String> rows, List<String> columns) {
        this.rowLabels = List.copyOf(rows);
        this.columnLabels = List.copyOf(columns);
        return this;
    }

    public HeatMap axes(String rows, String columns) {
        this.rowAxis = rows;
        this.columnAxis = columns;
        return this;
    }

    public void save(Path file) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        int cell = Math.max(8, Math.min(48, 560 / Math.max(1, Math.max(rows, cols))));
        int left = 90;
        int top = 50;
        int width = left + cols * cell + 30;
        int height = top + rows * cell + 60;
        int titleWidth = title == null ? 0 : Canvas.textWidth(Canvas.TITLE, title) + 20;
        Canvas c = new Canvas(Math.max(Math.max(width, 300), titleWidth), Math.max(height, 200));
        c.title(title);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double range = max > min ? max - min : 1;
        c.g.setFont(Canvas.SMALL);
        FontMetrics fm = c.g.getFontMetrics();
        boolean annotate = cell >= 28;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double t = (values[i][j] - min) / range;
                c.g.setColor(Palette.heat(t));
                c.g.fillRect(left + j * cell, top + i * cell, cell, cell);
                if (annotate) {
                    String s = values[i][j] == Math.rint(values[i][j])
                            ? String.format(Locale.ROOT, "%d", (long) values[i][j])
                            : String.format(Locale.ROOT, "%.2f", values[i][j]);
                    c.g.setColor(t > 0.6 ? Color.WHITE : Color.BLACK);
                    c.g.drawString(s, left + j * cell + (cell - fm.stringWidth(s)) / 2, top + i * cell + cell / 2 + 4);
                }
            }
        }
        c.g.setColor(Color.DARK_GRAY);
        c.g.drawRect(left, top, cols * cell, rows * cell);
        for (int i = 0; i < Math.min(rows, rowLabels.size()); i++) {
            String s = rowLabels.get(i);
            c.g.drawString(s, left - 6 - fm.stringWidth(s), top + i * cell + cell / 2 + 4);
        }
        for (int j = 0; j < Math.min(cols, columnLabels.size()); j++) {
            String s = columnLabels.get(j);
            c.g.drawString(s, left + j * cell + (cell - fm.stringWidth(s)) / 2, top + rows * cell + 14);
        }
        c.g.setFont(Canvas.LABEL);
        c.g.drawString(columnAxis, left, top + rows * cell + 34);
        c.g.drawString(rowAxis, 6, top - 8);
        c.save(file);
    }
}
