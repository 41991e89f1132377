package dev.gradbook.transformer.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * A character-level tokenizer: the vocabulary is the set of distinct characters (Unicode code
 * points) of a corpus, sorted, and token {@code i} is the {@code i}-th of them. This is what
 * char-rnn and nanoGPT's Shakespeare example use.
 *
 * <p>Code points, not Java {@code char}s, are the unit, so an emoji outside the Basic
 * Multilingual Plane (two {@code char}s, a surrogate pair) is one token. A character that was not
 * in the corpus has no id: {@link #encode} rejects it and names it.
 */
public final class CharTokenizer implements Tokenizer {
    /** The vocabulary: distinct code points in increasing order; token id = position. */
    private final int[] codePoints;
    private final Map<Integer, Integer> idOf = new HashMap<>();

    /** Builds the vocabulary from every distinct character of {@code corpus}. */
    public CharTokenizer(String corpus) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("CharTokenizer: the corpus is empty, so the vocabulary would be empty");
        }
        this.codePoints = corpus.codePoints().distinct().sorted().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            idOf.put(codePoints[i], i);
        }
    }

    @Override
    public int[] encode(String text) {
        int[] ids = new int[text.codePointCount(0, text.length())];
        int n = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int cp = text.codePointAt(i);
            Integer id = idOf.get(cp);
            if (id == null) {
                throw new IllegalArgumentException("CharTokenizer.encode: character " + describe(cp) + " at index " + i
                        + " is not in the vocabulary of " + codePoints.length + " characters built from the corpus");
            }
            ids[n++] = id;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= codePoints.length) {
                throw new IllegalArgumentException("CharTokenizer.decode: id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + codePoints.length + ")");
            }
            sb.appendCodePoint(codePoints[ids[i]]);
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    /** The vocabulary as a string, in id order. */
    public String vocabulary() {
        return new String(codePoints, 0, codePoints.length);
    }

    /** {@code 'é' (U+00E9)}: the character itself where printable, and always its code point. */
    static String describe(int cp) {
        String hex = String.format("U+%04X", cp);
        boolean printable = !Character.isISOControl(cp) && !Character.isWhitespace(cp) && Character.isDefined(cp)
                && Character.getType(cp) != Character.SURROGATE;
        return printable ? "'" + new String(Character.toChars(cp)) + "' (" + hex + ")" : hex;
    }
}
