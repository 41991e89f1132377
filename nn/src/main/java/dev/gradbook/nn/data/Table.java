package dev.gradbook.nn.data;

import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A table read from a text file (see {@link Csv}): named columns of text, with missing values
 * held as {@code null}, and typed views of them.
 *
 * <pre>{@code
 * Table penguins = Csv.read(Path.of("data/tabular/penguins.csv"));
 * double[] mass = penguins.numeric("body_mass_g");                // NaN where missing
 * Table complete = penguins.dropMissing();                        // rows with no missing value
 * Tensor x = complete.toTensor("bill_length_mm", "flipper_length_mm");   // (N, 2)
 * int[] species = OneHot.fit(complete.column("species")).indices(complete.column("species"));
 * }</pre>
 * Every row remembers the line of the file it came from, so that a value that is not a number
 * is reported as {@code "penguins.csv, line 17: column 'year': 'abc' is not a number"}.
 */
public final class Table {
    /** A decimal number: optional sign, digits with an optional point, optional exponent. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final String source;
    private final List<String> names;
    private final String[][] columns; // [column][row], null = missing
    private final int[] lines;        // the file line each row starts on

    Table(String source, List<String> names, String[][] columns, int[] lines) {
        this.source = source;
        this.names = List.copyOf(names);
        this.columns = columns;
        this.lines = lines;
    }

    /** The file (or resource) this table was read from. */
    public String source() {
        return source;
    }

    public List<String> columnNames() {
        return names;
    }

    public int rows() {
        return lines.length;
    }

    public int columns() {
        return names.size();
    }

    /** The file line on which row {@code row} starts (counting from 1). */
    public int line(int row) {
        return lines[row];
    }

    /** The position of column {@code name}, or an error listing the names there are. */
    public int columnIndex(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(source + ": no column named '" + name + "' (columns: " + names + ")");
        }
        return i;
    }

    /** The text of one column (a copy), with {@code null} for missing values. */
    public String[] column(String name) {
        return columns[columnIndex(name)].clone();
    }

    /** One cell; {@code null} if missing. */
    public String get(int row, String name) {
        return columns[columnIndex(name)][row];
    }

    /** How many values of column {@code name} are missing. */
    public int missingCount(String name) {
        int n = 0;
        for (String v : columns[columnIndex(name)]) {
            if (v == null) {
                n++;
            }
        }
        return n;
    }

    /** Whether every present value of column {@code name} reads as a number. */
    public boolean isNumeric(String name) {
        for (String v : columns[columnIndex(name)]) {
            if (v != null && parse(v) == null) {
                return false;
            }
        }
        return true;
    }

    /** Column {@code name} as numbers, NaN where missing; a value that is not a number is an error. */
    public double[] numeric(String name) {
        String[] column = columns[columnIndex(name)];
        double[] out = new double[column.length];
        for (int r = 0; r < column.length; r++) {
            if (column[r] == null) {
                out[r] = Double.NaN;
                continue;
            }
            Double value = parse(column[r]);
            if (value == null) {
                throw new IllegalArgumentException(source + ", line " + lines[r] + ": column '" + name + "': '"
                        + column[r] + "' is not a number");
            }
            out[r] = value;
        }
        return out;
    }

    /** Column {@code name} as float numbers, NaN where missing. */
    public float[] floats(String name) {
        double[] values = numeric(name);
        float[] out = new float[values.length];
        for (int r = 0; r < values.length; r++) {
            out[r] = (float) values[r];
        }
        return out;
    }

    /** The numeric columns {@code names} side by side: shape (rows, names.length), NaN where missing. */
    public Tensor toTensor(String... names) {
        int k = names.length;
        float[] out = new float[rows() * k];
        for (int j = 0; j < k; j++) {
            float[] column = floats(names[j]);
            for (int r = 0; r < column.length; r++) {
                out[r * k + j] = column[r];
            }
        }
        return Tensor.wrap(out, rows(), k);
    }

    /** The rows in which none of {@code names} (every column, if none are given) is missing. */
    public Table dropMissing(String... names) {
        int[] checked = names.length == 0 ? allColumns() : Arrays.stream(names).mapToInt(this::columnIndex).toArray();
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < rows(); r++) {
            boolean complete = true;
            for (int c : checked) {
                complete &= columns[c][r] != null;
            }
            if (complete) {
                keep.add(r);
            }
        }
        return selectRows(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The rows at {@code rowIndices}, in that order, as a new table. */
    public Table selectRows(int[] rowIndices) {
        String[][] picked = new String[columns.length][rowIndices.length];
        int[] pickedLines = new int[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            for (int c = 0; c < columns.length; c++) {
                picked[c][i] = columns[c][rowIndices[i]];
            }
            pickedLines[i] = lines[rowIndices[i]];
        }
        return new Table(source, names, picked, pickedLines);
    }

    private int[] allColumns() {
        int[] all = new int[columns.length];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** The number written in {@code text}, or null if it is not one. */
    private static Double parse(String text) {
        String t = text.strip();
        // Double.parseDouble also takes "NaN", "Infinity", hex and a trailing 'd' or 'f'; a data
        // file means none of those as a number
        if (!NUMBER.matcher(t).matches()) {
            return null;
        }
        return Double.parseDouble(t);
    }

    @Override
    public String toString() {
        return "Table(" + source + ": " + rows() + " rows, columns " + names + ")";
    }
}
