package dev.gradbook.transformer.retrieval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Okapi BM25 over an inverted index: for each term, the list of documents that contain it and how
 * often (its postings). A query is scored against every document that shares a term with it,
 * <pre>
 *   score(D, Q) = sum over terms q of Q of  IDF(q) * f(q, D) * (k1 + 1) / (f(q, D) + k1 * (1 - b + b * |D| / avgdl))
 *   IDF(q)      = ln(1 + (N - n(q) + 0.5) / (n(q) + 0.5))
 * </pre>
 * where {@code f(q, D)} is how often q occurs in D, {@code |D|} the length of D in terms, avgdl the
 * mean length, N the number of documents and n(q) how many contain q (Robertson and Zaragoza,
 * "The Probabilistic Relevance Framework: BM25 and Beyond", 2009, section 3.4, eq. 3.15; the
 * IDF with the "1 +" inside the log, as in Lucene, so that it is never negative).
 *
 * <p>{@code k1} sets how fast repeated occurrences saturate (0: only presence counts; large: raw
 * term frequency) and {@code b} how much long documents are penalised (0: not at all; 1: term
 * frequency fully divided by relative length). The index is built once; the parameters are
 * chosen per search, so they can be swept without rebuilding.
 */
public final class Bm25Index {
    /** The two free parameters; the usual defaults are k1 = 1.2, b = 0.75. */
    public record Params(double k1, double b) {
        public static final Params DEFAULT = new Params(1.2, 0.75);

        public Params {
            if (!(k1 >= 0) || !(b >= 0 && b <= 1)) {
                throw new IllegalArgumentException("BM25: need k1 >= 0 and 0 <= b <= 1, got k1=" + k1 + ", b=" + b);
            }
        }
    }

    /** One search result: a document number and its score. */
    public record Hit(int doc, double score) {
    }

    /** Postings of one term: the documents that contain it, ascending, and the count in each. */
    private record Postings(int[] docs, int[] counts) {
    }

    private final TextAnalyzer analyzer;
    private final Map<String, Postings> index = new HashMap<>();
    private final int[] lengths;
    private final double averageLength;

    public Bm25Index(List<String> documents, TextAnalyzer analyzer) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("Bm25Index: no documents");
        }
        this.analyzer = analyzer;
        this.lengths = new int[documents.size()];
        Map<String, List<int[]>> building = new HashMap<>();
        long total = 0;
        for (int d = 0; d < documents.size(); d++) {
            List<String> terms = analyzer.terms(documents.get(d));
            lengths[d] = terms.size();
            total += terms.size();
            Map<String, Integer> counts = new HashMap<>();
            for (String t : terms) {
                counts.merge(t, 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                building.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new int[] {d, e.getValue()});
            }
        }
        this.averageLength = Math.max(1e-9, (double) total / documents.size());
        building.forEach((term, list) -> index.put(term, new Postings(
                list.stream().mapToInt(p -> p[0]).toArray(), list.stream().mapToInt(p -> p[1]).toArray())));
    }

    public int size() {
        return lengths.length;
    }

    public int vocabularySize() {
        return index.size();
    }

    public double averageLength() {
        return averageLength;
    }

    /** How many documents contain {@code term}: n(q). */
    public int documentFrequency(String term) {
        Postings p = index.get(term);
        return p == null ? 0 : p.docs().length;
    }

    /** {@code IDF(q) = ln(1 + (N - n + 0.5) / (n + 0.5))}. */
    public double idf(String term) {
        int n = documentFrequency(term);
        return Math.log(1 + (lengths.length - n + 0.5) / (n + 0.5));
    }

    /** The BM25 score of every document for {@code query} (0 for documents sharing no term). */
    public double[] scores(String query, Params p) {
        double[] scores = new double[lengths.length];
        for (String q : analyzer.terms(query)) {     // a repeated query term counts each time, as in eq. 3.15
            Postings postings = index.get(q);
            if (postings == null) {
                continue;
            }
            double idf = idf(q);
            for (int i = 0; i < postings.docs().length; i++) {
                int d = postings.docs()[i];
                double f = postings.counts()[i];
                double norm = p.k1() * (1 - p.b() + p.b() * lengths[d] / averageLength);
                scores[d] += idf * f * (p.k1() + 1) / (f + norm);
            }
        }
        return scores;
    }

    /** The {@code k} best documents for {@code query}, best first (ties: lower document number first). */
    public List<Hit> search(String query, int k, Params p) {
        if (k < 1) {
            throw new IllegalArgumentException("Bm25Index.search: k must be >= 1, got " + k);
        }
        double[] scores = scores(query, p);
        int[] top = TopK.indices(scores, k);
        List<Hit> hits = new ArrayList<>(top.length);
        for (int d : top) {
            hits.add(new Hit(d, scores[d]));
        }
        return hits;
    }

    public List<Hit> search(String query, int k) {
        return search(query, k, Params.DEFAULT);
    }
}
