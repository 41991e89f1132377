package dev.gradbook.transformer.text;

import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Documents as vectors of term weights (Salton and Buckley, "Term-weighting approaches in
 * automatic text retrieval", 1988; Manning, Raghavan and Schütze, "Introduction to Information
 * Retrieval", 2008, section 6.2). A bag of words counts each term of the vocabulary in a
 * document, {@code tf(t, d)}; TF-IDF scales each count by how rare the term is across the
 * {@code n} training documents, so that words found everywhere weigh little:
 * <pre>
 *   idf(t) = ln((1 + n) / (1 + df(t))) + 1          df(t): training documents that contain t
 *   x(d)_t = tf(t, d) idf(t),   then x(d) / ||x(d)||_2
 * </pre>
 * These are scikit-learn's defaults ({@code smooth_idf}, {@code norm="l2"}), so the numbers can
 * be compared with {@code TfidfVectorizer}. The vocabulary is the terms found in at least
 * {@code minDf} training documents, the {@code maxFeatures} most widespread of them (ties in
 * alphabetical order), in alphabetical order. Terms outside it are ignored.
 */
public final class TfIdfVectorizer {
    private final List<String> vocabulary;
    private final Map<String, Integer> index = new HashMap<>();
    private final double[] idf;

    private TfIdfVectorizer(List<String> vocabulary, double[] idf) {
        this.vocabulary = List.copyOf(vocabulary);
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i), i);
        }
        this.idf = idf;
    }

    /** Learns the vocabulary and the idf weights from tokenized training documents. */
    public static TfIdfVectorizer fit(List<List<String>> documents, int minDf, int maxFeatures) {
        if (documents.isEmpty() || minDf < 1 || maxFeatures < 1) {
            throw new IllegalArgumentException("TfIdfVectorizer.fit: needs documents, minDf >= 1 and maxFeatures >= 1, got "
                    + documents.size() + " documents, minDf=" + minDf + ", maxFeatures=" + maxFeatures);
        }
        Map<String, Integer> df = new TreeMap<>();
        for (List<String> doc : documents) {
            for (String term : new HashSet<>(doc)) {
                df.merge(term, 1, Integer::sum);
            }
        }
        List<String> kept = new ArrayList<>();
        df.forEach((term, count) -> {
            if (count >= minDf) {
                kept.add(term);
            }
        });
        kept.sort((a, b) -> df.get(b) - df.get(a));              // stable: ties stay alphabetical
        List<String> vocabulary = new ArrayList<>(kept.subList(0, Math.min(maxFeatures, kept.size())));
        Collections.sort(vocabulary);
        if (vocabulary.isEmpty()) {
            throw new IllegalArgumentException("TfIdfVectorizer.fit: no term occurs in " + minDf + " documents");
        }
        double[] idf = new double[vocabulary.size()];
        int n = documents.size();
        for (int i = 0; i < idf.length; i++) {
            idf[i] = Math.log((1.0 + n) / (1.0 + df.get(vocabulary.get(i)))) + 1;
        }
        return new TfIdfVectorizer(vocabulary, idf);
    }

    /** The bag of words: raw counts of each vocabulary term, {@code (documents, V)}. */
    public Tensor counts(List<List<String>> documents) {
        float[] x = new float[documents.size() * vocabulary.size()];
        for (int d = 0; d < documents.size(); d++) {
            for (String term : documents.get(d)) {
                Integer t = index.get(term);
                if (t != null) {
                    x[d * vocabulary.size() + t]++;
                }
            }
        }
        return Tensor.wrap(x, documents.size(), vocabulary.size());
    }

    /** TF-IDF vectors of unit length, {@code (documents, V)}; a document with no known term stays all zero. */
    public Tensor transform(List<List<String>> documents) {
        Tensor counts = counts(documents);
        float[] x = counts.data();
        int v = vocabulary.size();
        for (int d = 0; d < documents.size(); d++) {
            double norm = 0;
            for (int t = 0; t < v; t++) {
                x[d * v + t] *= (float) idf[t];
                norm += (double) x[d * v + t] * x[d * v + t];
            }
            if (norm > 0) {
                float scale = (float) (1 / Math.sqrt(norm));
                for (int t = 0; t < v; t++) {
                    x[d * v + t] *= scale;
                }
            }
        }
        return counts;
    }

    /** The terms, in column order. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** The idf weight of a vocabulary term. */
    public double idf(String term) {
        Integer t = index.get(term);
        if (t == null) {
            throw new IllegalArgumentException("TfIdfVectorizer: '" + term + "' is not in the vocabulary");
        }
        return idf[t];
    }
}
