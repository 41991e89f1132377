package dev.gradbook.transformer.tokenizer;

/**
 * Turns text into a sequence of integer token ids and back: the first and last step of every
 * language model. Ids run from {@code 0} to {@code vocabSize() - 1}, so they can index an
 * {@code Embedding} of that many rows.
 *
 * <p>Two implementations show the two ends of the trade-off:
 * <ul>
 *   <li>{@link CharTokenizer}: one token per character of a fixed alphabet. Tiny vocabulary, long
 *       sequences, and it cannot encode a character it has never seen.</li>
 *   <li>{@link BpeTokenizer}: byte-level byte-pair encoding. Starts from the 256 byte values,
 *       so every string can be encoded, and learns merges that make frequent words single
 *       tokens: a larger vocabulary buys shorter sequences.</li>
 * </ul>
 */
public interface Tokenizer {
    /** The token ids of {@code text}. */
    int[] encode(String text);

    /** The text that the token ids stand for. */
    String decode(int[] ids);

    /** The number of distinct token ids. */
    int vocabSize();
}
