package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word ids for the neural retrievers and readers: id 0 is padding, id 1 stands for any word not
 * in the vocabulary, and the words seen at least {@code minCount} times get ids 2, 3, ... in
 * order of first appearance (so the same texts give the same ids).
 */
public final class WordVocabulary {
    public static final int PAD = 0;
    public static final int UNKNOWN = 1;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> words = new ArrayList<>(List.of("<pad>", "<unk>"));

    /** A vocabulary of the words occurring at least {@code minCount} times in {@code texts}. */
    public WordVocabulary(Collection<List<String>> texts, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("WordVocabulary: minCount must be >= 1, got " + minCount);
        }
        Map<String, Integer> counts = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (List<String> text : texts) {
            for (String w : text) {
                if (counts.merge(w, 1, Integer::sum) == 1) {
                    order.add(w);
                }
            }
        }
        for (String w : order) {
            if (counts.get(w) >= minCount) {
                ids.put(w, words.size());
                words.add(w);
            }
        }
    }

    public int size() {
        return words.size();
    }

    /** The id of {@code word}, or {@link #UNKNOWN}. */
    public int id(String word) {
        return ids.getOrDefault(word, UNKNOWN);
    }

    public String word(int id) {
        return words.get(id);
    }

    /** The ids of {@code words}, in order. */
    public int[] ids(List<String> words) {
        return words.stream().mapToInt(this::id).toArray();
    }

    /** Word lists as one padded batch: ids {@code (B, L)}, L the longest list (at least 1), and a mask of the real words. */
    public Bags bags(List<List<String>> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("WordVocabulary.bags: no texts");
        }
        int longest = 1;
        for (List<String> t : texts) {
            longest = Math.max(longest, t.size());
        }
        int[] out = new int[texts.size() * longest];
        float[] mask = new float[out.length];
        for (int b = 0; b < texts.size(); b++) {
            List<String> t = texts.get(b);
            for (int i = 0; i < t.size(); i++) {
                out[b * longest + i] = id(t.get(i));
                mask[b * longest + i] = 1f;
            }
        }
        return new Bags(IntTensor.wrap(out, texts.size(), longest), Tensor.wrap(mask, texts.size(), longest));
    }

    /**
     * A batch of bags of words.
     *
     * @param ids  {@code (B, L)} word ids, {@link #PAD} after each text's end
     * @param mask {@code (B, L)} 1 for a word, 0 for padding
     */
    public record Bags(IntTensor ids, Tensor mask) {
        public Bags {
            if (ids.dim() != 2 || !java.util.Arrays.equals(ids.shape(), mask.shape())) {
                throw new IllegalArgumentException("Bags: ids and mask must both be (B, L), got "
                        + java.util.Arrays.toString(ids.shape()) + " and " + java.util.Arrays.toString(mask.shape()));
            }
        }

        public int size() {
            return ids.size(0);
        }
    }
}
