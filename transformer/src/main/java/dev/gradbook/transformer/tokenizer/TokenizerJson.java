package dev.gradbook.transformer.tokenizer;

import dev.gradbook.nn.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tokenizer as a small JSON object, so that a checkpoint's metadata can carry the vocabulary
 * its model was trained with:
 * <pre>
 *   {"type":"char","vocabulary":"\n !',-.3:;?ABC..."}   a {@link CharTokenizer}: its characters in id order
 *   {"type":"bpe","merges":[[32,116],[104,101],...]}    a {@link BpeTokenizer}: merge k makes token 256 + k
 *   {"type":"wordpiece","vocabulary":["[PAD]",...]}     a {@link WordPieceTokenizer}: its pieces in id order
 * </pre>
 * Reading builds an equal tokenizer: the same ids for the same text.
 */
public final class TokenizerJson {
    private TokenizerJson() {
    }

    /** The tokenizer as JSON; only the two tokenizers above can be written. */
    public static String write(Tokenizer tokenizer) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (tokenizer instanceof CharTokenizer chars) {
            json.put("type", "char");
            json.put("vocabulary", chars.vocabulary());
        } else if (tokenizer instanceof BpeTokenizer bpe) {
            json.put("type", "bpe");
            List<Object> merges = new ArrayList<>();
            for (BpeTokenizer.Merge m : bpe.merges()) {
                merges.add(List.of((long) m.left(), (long) m.right()));
            }
            json.put("merges", merges);
        } else if (tokenizer instanceof WordPieceTokenizer wordPiece) {
            json.put("type", "wordpiece");
            json.put("vocabulary", List.copyOf(wordPiece.vocabulary()));
        } else {
            throw new IllegalArgumentException("TokenizerJson: cannot describe a " + tokenizer.getClass().getName()
                    + " (only CharTokenizer, BpeTokenizer and WordPieceTokenizer)");
        }
        return Json.write(json);
    }

    /** The tokenizer that {@code json} describes; {@code where} (a file name, say) starts every error. */
    public static Tokenizer read(String json, String where) {
        try {
            if (!(Json.parse(json) instanceof Map<?, ?> object)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Object type = object.get("type");
            if ("char".equals(type) && object.get("vocabulary") instanceof String vocabulary) {
                CharTokenizer tokenizer = new CharTokenizer(vocabulary);
                if (!tokenizer.vocabulary().equals(vocabulary)) {
                    throw new IllegalArgumentException("the vocabulary is not distinct characters in increasing order");
                }
                return tokenizer;
            }
            if ("bpe".equals(type) && object.get("merges") instanceof List<?> list) {
                List<BpeTokenizer.Merge> merges = new ArrayList<>(list.size());
                for (Object pair : list) {
                    if (!(pair instanceof List<?> ids && ids.size() == 2 && ids.get(0) instanceof Long left
                            && ids.get(1) instanceof Long right && left == left.intValue()
                            && right == right.intValue())) {
                        throw new IllegalArgumentException("merge " + merges.size() + " is " + pair
                                + ", not two token ids");
                    }
                    merges.add(new BpeTokenizer.Merge(left.intValue(), right.intValue()));
                }
                return new BpeTokenizer(merges);
            }
            if ("wordpiece".equals(type) && object.get("vocabulary") instanceof List<?> pieces) {
                List<String> vocabulary = new ArrayList<>(pieces.size());
                for (Object piece : pieces) {
                    if (!(piece instanceof String text)) {
                        throw new IllegalArgumentException("piece " + vocabulary.size() + " is " + piece + ", not a string");
                    }
                    vocabulary.add(text);
                }
                return new WordPieceTokenizer(vocabulary);
            }
            throw new IllegalArgumentException("expected {\"type\":\"char\",\"vocabulary\":...}, "
                    + "{\"type\":\"bpe\",\"merges\":...} or {\"type\":\"wordpiece\",\"vocabulary\":...}, got type "
                    + type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": the tokenizer cannot be read: " + e.getMessage(), e);
        }
    }
}
