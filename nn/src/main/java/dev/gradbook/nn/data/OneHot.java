package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One-hot encoding: category {@code c} of {@code K} becomes the vector with a 1 at position
 * {@code c} and 0 elsewhere, so that a model sees categories as unordered (island "Dream" is
 * not "more" than island "Biscoe").
 *
 * <p>Two uses: {@link #encode(IntTensor, int)} turns class indices into target vectors, and an
 * instance fitted on a string column ({@link #fit(String[])}) turns the words of that column into
 * indices or one-hot rows, with its categories sorted alphabetically as scikit-learn's
 * {@code OneHotEncoder} does.
 */
public final class OneHot {
    private final List<String> categories;
    private final Map<String, Integer> index = new TreeMap<>();

    /** An encoder for exactly these categories, in this order. */
    public OneHot(List<String> categories) {
        this.categories = List.copyOf(categories);
        for (int i = 0; i < this.categories.size(); i++) {
            if (index.put(this.categories.get(i), i) != null) {
                throw new IllegalArgumentException("OneHot: category '" + this.categories.get(i) + "' is repeated");
            }
        }
    }

    /** The distinct non-missing (non-null) values of {@code column}, sorted. */
    public static OneHot fit(String[] column) {
        TreeSet<String> distinct = new TreeSet<>();
        for (String value : column) {
            if (value != null) {
                distinct.add(value);
            }
        }
        return new OneHot(List.copyOf(distinct));
    }

    public List<String> categories() {
        return categories;
    }

    public int numCategories() {
        return categories.size();
    }

    /** The index of each value; a missing value (null) becomes -1, an unseen one is an error. */
    public int[] indices(String[] column) {
        int[] out = new int[column.length];
        for (int i = 0; i < column.length; i++) {
            out[i] = indexOf(column[i], i);
        }
        return out;
    }

    /** One row per value, shape (N, K); a missing value (null) gives a row of zeros. */
    public Tensor transform(String[] column) {
        int k = categories.size();
        float[] out = new float[column.length * k];
        for (int i = 0; i < column.length; i++) {
            int c = indexOf(column[i], i);
            if (c >= 0) {
                out[i * k + c] = 1f;
            }
        }
        return Tensor.wrap(out, column.length, k);
    }

    private int indexOf(String value, int row) {
        if (value == null) {
            return -1;
        }
        Integer c = index.get(value);
        if (c == null) {
            throw new IllegalArgumentException("OneHot: value '" + value + "' in row " + row
                    + " is not one of the fitted categories " + categories);
        }
        return c;
    }

    /** Class indices {@code labels} (N), whole numbers in {@code [0, numClasses)}, as rows (N, numClasses). */
    public static Tensor encode(IntTensor labels, int numClasses) {
        if (labels.dim() != 1) {
            throw new IllegalArgumentException("OneHot.encode: labels must be a vector (N), got shape "
                    + Arrays.toString(labels.shape()));
        }
        return encode(labels.data(), numClasses);
    }

    /** Class indices in {@code [0, numClasses)} as rows (N, numClasses). */
    public static Tensor encode(int[] labels, int numClasses) {
        float[] out = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("OneHot.encode: label " + labels[i] + " at " + i
                        + " is outside [0, " + numClasses + ")");
            }
            out[i * numClasses + labels[i]] = 1f;
        }
        return Tensor.wrap(out, labels.length, numClasses);
    }
}
