package dev.gradbook.nn.data;

import dev.gradbook.core.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads comma-separated (and tab-separated) text files into a {@link Table}, or, for the
 * numeric layouts that scikit-learn ships, straight into {@link LabeledData}.
 *
 * <ul>
 *   <li>{@link #read}: a header row of column names, then data rows (RFC 4180 quoting, see
 *       {@link CsvParser}). The values {@code ""}, {@code "NA"} and {@code "?"} are missing:
 *       {@code null} as text, NaN as numbers.</li>
 *   <li>{@link #readTsv}: tab-separated with a header row and no quoting.</li>
 *   <li>{@link #readSklearn}: scikit-learn's layout, whose first line is
 *       {@code n_rows,n_features,class names...} and whose rows are features then class index.</li>
 *   <li>{@link #readLabeled}: rows of numbers only, the last one the class index.</li>
 * </ul>
 * A file whose name ends in {@code .gz} is decompressed on the fly. Every error about the
 * content names the file and the line.
 */
public final class Csv {
    /** The spellings of a missing value. */
    public static final Set<String> MISSING = Set.of("", "NA", "?");

    private Csv() {
    }

    /** A CSV file with a header row. */
    public static Table read(Path path) {
        return read(text(path), path.toString(), ',', true);
    }

    /** A CSV stream with a header row; {@code source} names it in errors (gzip if it ends in .gz). */
    public static Table read(InputStream in, String source) {
        return read(text(in, source), source, ',', true);
    }

    /** A tab-separated file with a header row and no quoting. */
    public static Table readTsv(Path path) {
        return read(text(path), path.toString(), '\t', false);
    }

    /** A tab-separated stream with a header row and no quoting. */
    public static Table readTsv(InputStream in, String source) {
        return read(text(in, source), source, '\t', false);
    }

    private static Table read(String text, String source, char delimiter, boolean quoting) {
        List<CsvParser.Row> rows = CsvParser.parse(text, delimiter, quoting, source);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": the file is empty (expected a header row)");
        }
        List<String> names = Arrays.asList(rows.get(0).fields());
        int width = names.size();
        String[][] columns = new String[width][rows.size() - 1];
        int[] lines = new int[rows.size() - 1];
        for (int r = 1; r < rows.size(); r++) {
            CsvParser.Row row = rows.get(r);
            checkWidth(source, row, width, "the header has");
            for (int c = 0; c < width; c++) {
                String value = row.fields()[c];
                columns[c][r - 1] = MISSING.contains(value) ? null : value;
            }
            lines[r - 1] = row.line();
        }
        return new Table(source, names, columns, lines);
    }

    /** A scikit-learn CSV: {@code n_rows,n_features,class names...}, then rows of features and a class index. */
    public static LabeledData readSklearn(Path path) {
        return sklearn(text(path), path.toString());
    }

    public static LabeledData readSklearn(InputStream in, String source) {
        return sklearn(text(in, source), source);
    }

    private static LabeledData sklearn(String text, String source) {
        List<CsvParser.Row> rows = CsvParser.parse(text, ',', true, source);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": the file is empty (expected 'n_rows,n_features,class names...')");
        }
        String[] head = rows.get(0).fields();
        if (head.length < 3) {
            throw new IllegalArgumentException(source + ", line 1: expected 'n_rows,n_features,class names...', got "
                    + String.join(",", head));
        }
        int n = (int) number(source, rows.get(0), 0, true);
        int d = (int) number(source, rows.get(0), 1, true);
        List<String> classes = List.of(Arrays.copyOfRange(head, 2, head.length));
        if (rows.size() - 1 != n) {
            throw new IllegalArgumentException(source + ": the first line announces " + n + " rows, the file has "
                    + (rows.size() - 1));
        }
        return labeled(source, rows.subList(1, rows.size()), d, classes);
    }

    /** Rows of numbers without a header, the last column a class index (0 .. K-1) named "0" .. "K-1". */
    public static LabeledData readLabeled(Path path) {
        return readLabeled(text(path), path.toString());
    }

    public static LabeledData readLabeled(InputStream in, String source) {
        return readLabeled(text(in, source), source);
    }

    private static LabeledData readLabeled(String text, String source) {
        List<CsvParser.Row> rows = CsvParser.parse(text, ',', true, source);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": the file is empty");
        }
        int d = rows.get(0).fields().length - 1;
        int maxLabel = 0;
        for (CsvParser.Row row : rows) {
            checkWidth(source, row, d + 1, "the first row has");
            maxLabel = Math.max(maxLabel, (int) number(source, row, d, true));
        }
        List<String> classes = new ArrayList<>();
        for (int k = 0; k <= maxLabel; k++) {
            classes.add(Integer.toString(k));
        }
        return labeled(source, rows, d, classes);
    }

    /** Rows of {@code d} features and a class index into (N, d) features and N labels. */
    private static LabeledData labeled(String source, List<CsvParser.Row> rows, int d, List<String> classes) {
        float[] features = new float[rows.size() * d];
        int[] labels = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            CsvParser.Row row = rows.get(r);
            checkWidth(source, row, d + 1, d + " features and a label make");
            for (int j = 0; j < d; j++) {
                features[r * d + j] = (float) number(source, row, j, false);
            }
            labels[r] = (int) number(source, row, d, true);
            if (labels[r] >= classes.size()) {
                throw new IllegalArgumentException(source + ", line " + row.line() + ": label " + labels[r]
                        + " but only " + classes.size() + " classes " + classes);
            }
        }
        return new LabeledData(Tensor.wrap(features, rows.size(), d), labels, classes);
    }

    private static void checkWidth(String source, CsvParser.Row row, int width, String what) {
        if (row.fields().length != width) {
            throw new IllegalArgumentException(source + ", line " + row.line() + ": " + row.fields().length
                    + " fields, but " + what + " " + width);
        }
    }

    /** Field {@code column} of {@code row} as a number; {@code whole} demands a non-negative integer. */
    private static double number(String source, CsvParser.Row row, int column, boolean whole) {
        String text = row.fields()[column].strip();
        try {
            if (whole) {
                int value = Integer.parseInt(text);
                if (value < 0) {
                    throw new NumberFormatException();
                }
                return value;
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ", line " + row.line() + ", field " + (column + 1) + ": '"
                    + text + "' is not " + (whole ? "a non-negative integer" : "a number"));
        }
    }

    // ------------------------------------------------------------------ files

    /** The whole file as UTF-8 text, decompressed if its name ends in .gz. */
    static String text(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return text(in, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static String text(InputStream in, String source) {
        try {
            InputStream raw = source.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
            return new String(raw.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }
}
