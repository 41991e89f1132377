package dev.gradbook.transformer.text;

import dev.gradbook.core.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table of word vectors and the two questions people ask of it: which words lie nearest a
 * given one, and analogies. Similarity is the cosine, {@code cos(u, v) = u · v / (|u| |v|)}; the
 * vectors are kept at unit length so that it is a dot product. The analogy "a is to b as c is to
 * ?" is answered by vector arithmetic (Mikolov, Yih and Zweig 2013, "Linguistic Regularities in
 * Continuous Space Word Representations", section 4; 3CosAdd in Levy and Goldberg 2014):
 * <pre>
 *   d* = argmax over d not in {a, b, c} of  cos(d, b - a + c)        king - man + woman = queen
 * </pre>
 * written here as {@link #analogy}{@code (x, y, z)} for {@code x - y + z}. The input words are
 * excluded, as in the original evaluation: otherwise {@code b - a + c} is usually nearest to
 * {@code b} itself.
 */
public final class WordVectors {
    /** A word and its cosine similarity to the query. */
    public record Neighbour(String word, double similarity) {
    }

    private final List<String> words;
    private final Map<String, Integer> index = new HashMap<>();
    private final float[][] unit;

    /** Vectors {@code (words, dim)}, one row per word; every row is scaled to unit length here. */
    public WordVectors(List<String> words, Tensor vectors) {
        if (vectors.dim() != 2 || vectors.size(0) != words.size()) {
            throw new IllegalArgumentException("WordVectors: need one row per word, got " + words.size()
                    + " words and vectors of shape " + java.util.Arrays.toString(vectors.shape()));
        }
        this.words = List.copyOf(words);
        int dim = vectors.size(1);
        float[] data = vectors.data();
        this.unit = new float[words.size()][dim];
        for (int i = 0; i < words.size(); i++) {
            if (index.putIfAbsent(words.get(i), i) != null) {
                throw new IllegalArgumentException("WordVectors: the word '" + words.get(i) + "' appears twice");
            }
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += (double) data[i * dim + j] * data[i * dim + j];
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            for (int j = 0; j < dim; j++) {
                unit[i][j] = (float) (data[i * dim + j] * scale);
            }
        }
    }

    /**
     * Reads the GloVe text format, one {@code word v1 ... vd} per line (Pennington, Socher and
     * Manning 2014); {@code source} names the input in error messages.
     */
    public static WordVectors readGlove(InputStream in, String source) throws IOException {
        List<String> words = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int dim = -1;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            if (dim < 0) {
                dim = parts.length - 1;
            }
            if (parts.length - 1 != dim || dim == 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected a word and " + dim
                        + " numbers, got " + (parts.length - 1) + " numbers");
            }
            float[] v = new float[dim];
            try {
                for (int j = 0; j < dim; j++) {
                    v[j] = Float.parseFloat(parts[j + 1]);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": not a number: " + e.getMessage());
            }
            words.add(parts[0]);
            rows.add(v);
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException(source + ": no word vectors found");
        }
        float[] data = new float[words.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, data, i * dim, dim);
        }
        return new WordVectors(words, Tensor.wrap(data, words.size(), dim));
    }

    public boolean contains(String word) {
        return index.containsKey(word);
    }

    /** The unit-length vector of {@code word}. */
    public float[] vector(String word) {
        Integer i = index.get(word);
        if (i == null) {
            throw new IllegalArgumentException("WordVectors: no vector for '" + word + "'");
        }
        return unit[i].clone();
    }

    /** The {@code k} words most similar to {@code word}, itself excluded. */
    public List<Neighbour> nearest(String word, int k) {
        return nearest(vector(word), k, Set.of(word));
    }

    /** The {@code k} words whose vectors have the highest cosine with {@code query}, skipping {@code exclude}. */
    public List<Neighbour> nearest(float[] query, int k, Set<String> exclude) {
        if (query.length != dim()) {
            throw new IllegalArgumentException("WordVectors.nearest: query of length " + query.length
                    + " for vectors of length " + dim());
        }
        double qNorm = 0;
        for (float q : query) {
            qNorm += (double) q * q;
        }
        qNorm = Math.sqrt(qNorm);
        List<Neighbour> best = new ArrayList<>();
        for (int i = 0; i < unit.length; i++) {
            if (exclude.contains(words.get(i))) {
                continue;
            }
            double dot = 0;
            for (int j = 0; j < query.length; j++) {
                dot += (double) unit[i][j] * query[j];
            }
            double cos = qNorm > 0 ? dot / qNorm : 0;
            if (best.size() < k || cos > best.get(best.size() - 1).similarity()) {
                int at = best.size();
                while (at > 0 && best.get(at - 1).similarity() < cos) {
                    at--;
                }
                best.add(at, new Neighbour(words.get(i), cos));
                if (best.size() > k) {
                    best.remove(best.size() - 1);
                }
            }
        }
        return best;
    }

    /** The word nearest {@code x - y + z}, none of the three: {@code analogy("king", "man", "woman")} is "queen". */
    public String analogy(String x, String y, String z) {
        float[] vx = vector(x);
        float[] vy = vector(y);
        float[] vz = vector(z);
        float[] target = new float[dim()];
        for (int j = 0; j < target.length; j++) {
            target[j] = vx[j] - vy[j] + vz[j];
        }
        return nearest(target, 1, Set.of(x, y, z)).get(0).word();
    }

    /** Cosine similarity of two words. */
    public double similarity(String a, String b) {
        float[] u = vector(a);
        float[] v = vector(b);
        double dot = 0;
        for (int j = 0; j < u.length; j++) {
            dot += (double) u[j] * v[j];
        }
        return dot;
    }

    public List<String> words() {
        return words;
    }

    public int dim() {
        return unit.length == 0 ? 0 : unit[0].length;
    }
}
