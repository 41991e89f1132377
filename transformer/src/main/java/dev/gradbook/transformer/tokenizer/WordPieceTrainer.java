package dev.gradbook.transformer.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns a WordPiece vocabulary (Schuster and Nakajima 2012, section 3.1; the variant used to
 * train BERT's vocabulary). Like BPE it starts from single characters and repeatedly merges an
 * adjacent pair of pieces, but it picks the pair that most raises the likelihood of the corpus
 * under a unigram model of pieces, which comes down to
 * <pre>
 *   score(a, b) = count(ab) / (count(a) count(b))
 * </pre>
 * instead of BPE's {@code count(ab)}: a pair is merged first when its parts seldom occur apart,
 * not merely when it is frequent. The first character of a word is a piece {@code "t"}, every
 * later one a continuation {@code "##h"}; merging {@code "t"} and {@code "##h"} gives {@code "th"},
 * merging {@code "##h"} and {@code "##e"} gives {@code "##he"}. Ties go to the pair whose merged
 * piece sorts first, so training is deterministic.
 *
 * <p>Because the score divides by the parts' counts, a pair seen once whose parts are rare scores
 * as high as a frequent one: on a small corpus the vocabulary fills with rare whole words
 * ({@code "wiltshire"}) before {@code "to"} and {@code "be"}. A minimum pair count ({@code minCount},
 * HuggingFace's {@code min_frequency}) keeps merges to pairs seen often enough to matter.
 *
 * <p>Counts are kept per distinct word with its frequency, and updated only for the words that
 * contain the merged pair.
 */
public final class WordPieceTrainer {
    private WordPieceTrainer() {
    }

    /** {@link #train(String, int, int)} with every pair allowed to merge ({@code minCount} 1). */
    public static WordPieceTokenizer train(String corpus, int vocabSize) {
        return train(corpus, vocabSize, 1);
    }

    /**
     * A tokenizer whose vocabulary holds the specials, every character piece of {@code corpus},
     * and merged pieces up to {@code vocabSize} entries (fewer if no pair seen at least
     * {@code minCount} times is left to merge).
     */
    public static WordPieceTokenizer train(String corpus, int vocabSize, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("WordPieceTrainer: minCount must be at least 1, got " + minCount);
        }
        Map<String, Integer> wordCounts = new TreeMap<>();
        for (String w : WordPieceTokenizer.words(corpus)) {
            wordCounts.merge(w, 1, Integer::sum);
        }
        Map<String, Integer> symbolIds = new LinkedHashMap<>();
        for (String s : WordPieceTokenizer.SPECIALS) {
            symbolIds.put(s, symbolIds.size());
        }
        List<int[]> words = new ArrayList<>();
        List<Integer> freq = new ArrayList<>();
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            String w = e.getKey();
            int[] symbols = new int[w.codePointCount(0, w.length())];
            int i = 0;
            for (int at = 0; at < w.length(); at = w.offsetByCodePoints(at, 1)) {
                String ch = new String(Character.toChars(w.codePointAt(at)));
                symbols[i++] = symbolIds.computeIfAbsent(at == 0 ? ch : WordPieceTokenizer.CONTINUATION + ch,
                        k -> symbolIds.size());
            }
            words.add(symbols);
            freq.add(e.getValue());
        }
        if (vocabSize < symbolIds.size()) {
            throw new IllegalArgumentException("WordPieceTrainer: vocabSize " + vocabSize + " is below the "
                    + symbolIds.size() + " special and single-character pieces this corpus needs");
        }
        List<String> pieces = new ArrayList<>(symbolIds.keySet());
        mergeUntil(words, freq, pieces, symbolIds, vocabSize, minCount);
        return new WordPieceTokenizer(pieces);
    }

    private static void mergeUntil(List<int[]> words, List<Integer> freq, List<String> pieces,
                                   Map<String, Integer> symbolIds, int vocabSize, int minCount) {
        Map<Long, Long> pairCounts = new HashMap<>();
        Map<Integer, Long> symbolCounts = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            count(words.get(w), freq.get(w), pairCounts, symbolCounts);
        }
        while (pieces.size() < vocabSize) {
            long best = -1;
            double bestScore = -1;
            String bestPiece = null;
            for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
                if (e.getValue() < minCount) {
                    continue;
                }
                int a = BpeTrainer.left(e.getKey());
                int b = BpeTrainer.right(e.getKey());
                double score = e.getValue() / ((double) symbolCounts.get(a) * symbolCounts.get(b));
                String merged = join(pieces.get(a), pieces.get(b));
                if (score > bestScore || (score == bestScore && merged.compareTo(bestPiece) < 0)) {
                    best = e.getKey();
                    bestScore = score;
                    bestPiece = merged;
                }
            }
            if (best < 0) {
                return;
            }
            Integer id = symbolIds.get(bestPiece);
            if (id == null) {
                id = pieces.size();
                symbolIds.put(bestPiece, id);
                pieces.add(bestPiece);
            }
            applyMerge(words, freq, BpeTrainer.left(best), BpeTrainer.right(best), id, pairCounts, symbolCounts);
        }
    }

    /** Replaces every adjacent {@code (a, b)} by {@code merged} in the words that contain it, updating the counts. */
    private static void applyMerge(List<int[]> words, List<Integer> freq, int a, int b, int merged,
                                   Map<Long, Long> pairCounts, Map<Integer, Long> symbolCounts) {
        for (int w = 0; w < words.size(); w++) {
            int[] s = words.get(w);
            if (!contains(s, a, b)) {
                continue;
            }
            count(s, -freq.get(w), pairCounts, symbolCounts);
            int[] out = new int[s.length];
            int n = 0;
            for (int i = 0; i < s.length; i++) {
                if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                    out[n++] = merged;
                    i++;
                } else {
                    out[n++] = s[i];
                }
            }
            int[] joined = java.util.Arrays.copyOf(out, n);
            words.set(w, joined);
            count(joined, freq.get(w), pairCounts, symbolCounts);
        }
    }

    /** Adds {@code weight} occurrences of each symbol and adjacent pair of {@code s}. */
    private static void count(int[] s, long weight, Map<Long, Long> pairCounts, Map<Integer, Long> symbolCounts) {
        for (int i = 0; i < s.length; i++) {
            symbolCounts.merge(s[i], weight, Long::sum);
            if (i + 1 < s.length) {
                pairCounts.merge(BpeTrainer.pair(s[i], s[i + 1]), weight, Long::sum);
            }
        }
    }

    private static boolean contains(int[] s, int a, int b) {
        for (int i = 0; i + 1 < s.length; i++) {
            if (s[i] == a && s[i + 1] == b) {
                return true;
            }
        }
        return false;
    }

    /** The piece made of {@code a} followed by {@code b}: a continuation keeps its {@code ##} only in front. */
    static String join(String a, String b) {
        return a + (b.startsWith(WordPieceTokenizer.CONTINUATION) ? b.substring(2) : b);
    }
}
