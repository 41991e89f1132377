package dev.gradbook.transformer.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learns byte-pair-encoding merges (Sennrich, Haddow and Birch, ACL 2016, Algorithm 1) over
 * UTF-8 bytes: start with every chunk of the corpus written as its bytes (ids 0-255), then
 * repeatedly find the most frequent adjacent pair of ids, give it a new id and replace it
 * everywhere.
 *
 * <p>Two things make this fast enough for a megabyte of text:
 * <ul>
 *   <li>Each distinct chunk is stored once with its count ({@code " the"} may occur 20,000
 *       times but is merged once), so the work scales with the vocabulary of the corpus, not
 *       its length.</li>
 *   <li>Pair counts are updated incrementally: a merge of {@code (a, b)} only changes the
 *       chunks that contain it, found through an index from pair to chunks. For each such chunk
 *       we subtract the counts of its old pairs and add those of its new ones, instead of
 *       recounting the whole corpus after every merge.</li>
 * </ul>
 * Ties between equally frequent pairs go to the smaller {@code (left, right)} id pair, so
 * training is deterministic. Pairs are counted overlapping, as everywhere in BPE: {@code "aaa"}
 * contributes two {@code (a, a)} pairs although only one merge fits in it.
 */
final class BpeTrainer {
    private final int[][] words;   // each distinct chunk as its current token ids
    private final int[] counts;    // how often each chunk occurs in the corpus
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, Set<Integer>> wordsWithPair = new HashMap<>();

    private BpeTrainer(String corpus) {
        Map<String, Integer> chunkCounts = new HashMap<>();
        for (String chunk : PreTokenizer.split(corpus)) {
            chunkCounts.merge(chunk, 1, Integer::sum);
        }
        words = new int[chunkCounts.size()][];
        counts = new int[chunkCounts.size()];
        int w = 0;
        for (Map.Entry<String, Integer> e : chunkCounts.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            words[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                words[w][i] = bytes[i] & 0xFF;
            }
            counts[w] = e.getValue();
            addPairs(w);
            w++;
        }
    }

    /**
     * The merges, in the order learned, that grow the vocabulary from 256 bytes towards
     * {@code vocabSize} tokens; fewer if the corpus runs out of pairs first.
     */
    static List<BpeTokenizer.Merge> train(String corpus, int vocabSize) {
        if (vocabSize < BpeTokenizer.BYTES) {
            throw new IllegalArgumentException("BpeTokenizer.train: vocabSize must be at least " + BpeTokenizer.BYTES
                    + " (one token per byte), got " + vocabSize);
        }
        BpeTrainer trainer = new BpeTrainer(corpus);
        List<BpeTokenizer.Merge> merges = new ArrayList<>();
        while (BpeTokenizer.BYTES + merges.size() < vocabSize && !trainer.pairCounts.isEmpty()) {
            long best = trainer.mostFrequentPair();
            int id = BpeTokenizer.BYTES + merges.size();
            trainer.merge(best, id);
            merges.add(new BpeTokenizer.Merge(left(best), right(best)));
        }
        return merges;
    }

    /** The pair with the highest count; among equals, the smallest (left, right). */
    private long mostFrequentPair() {
        long best = -1;
        long bestCount = 0;
        for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
            long pair = e.getKey();
            long count = e.getValue();
            if (count > bestCount || (count == bestCount && pair < best)) {
                best = pair;
                bestCount = count;
            }
        }
        return best;
    }

    /** Replaces {@code pair} by {@code id} in every chunk that contains it, updating the pair counts. */
    private void merge(long pair, int id) {
        Set<Integer> affected = wordsWithPair.remove(pair);
        for (int w : affected) {
            int[] merged = BpeTokenizer.mergePair(words[w], left(pair), right(pair), id);
            if (merged.length == words[w].length) {
                continue; // stale index entry: an earlier merge already consumed the pair here
            }
            removePairs(w);
            words[w] = merged;
            addPairs(w);
        }
        pairCounts.remove(pair);
    }

    private void addPairs(int w) {
        int[] ids = words[w];
        for (int i = 0; i + 1 < ids.length; i++) {
            long pair = pair(ids[i], ids[i + 1]);
            pairCounts.merge(pair, (long) counts[w], Long::sum);
            wordsWithPair.computeIfAbsent(pair, k -> new HashSet<>()).add(w);
        }
    }

    private void removePairs(int w) {
        int[] ids = words[w];
        for (int i = 0; i + 1 < ids.length; i++) {
            long pair = pair(ids[i], ids[i + 1]);
            long left = pairCounts.merge(pair, (long) -counts[w], Long::sum);
            if (left == 0) {
                pairCounts.remove(pair);
            }
        }
    }

    /** A pair of ids packed into one long; comparing packed pairs compares (left, right). */
    static long pair(int left, int right) {
        return ((long) left << 32) | right;
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }
}
