package dev.gradbook.transformer.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-level byte-pair encoding: Sennrich, Haddow and Birch (ACL 2016) applied to UTF-8 bytes
 * instead of characters, as in GPT-2 (Radford et al. 2019, section 2.2).
 *
 * <p>The vocabulary starts as the 256 byte values, ids {@code 0-255}. Merge number {@code k}
 * (counting from 0) joins two existing tokens {@code (left, right)} into the new token
 * {@code 256 + k}, whose bytes are left's bytes followed by right's. Because every string is a
 * sequence of UTF-8 bytes and every byte is a token, any text can be encoded, with no unknown
 * token; decoding concatenates the tokens' bytes.
 *
 * <p>{@link #train} learns the merges from a corpus ({@link BpeTrainer}); {@link #encode} splits
 * the text into chunks ({@link PreTokenizer}) and, within each chunk, applies the merges in the
 * order they were learned: repeatedly merge the adjacent pair with the lowest merge number until
 * no pair is left that has one. {@link BpeFile} saves and loads the merges.
 *
 * <pre>{@code
 * BpeTokenizer bpe = BpeTokenizer.train(text, 1000);
 * int[] ids = bpe.encode("To be, or not to be");
 * bpe.decode(ids);                      // "To be, or not to be"
 * bpe.compression(text).bytesPerToken() // 2.4 on Tiny Shakespeare at 1000 tokens
 * }</pre>
 */
public final class BpeTokenizer implements Tokenizer {
    /** The number of base tokens: one per byte value. */
    public static final int BYTES = 256;
    /**
     * The most merges a tokenizer may have (GPT-2 has 50,000; the largest vocabularies in use,
     * about 200,000), so that a hostile merges list cannot exhaust the memory.
     */
    public static final int MAX_MERGES = 1 << 18;
    /** The longest token in bytes, far beyond real vocabularies' tokens: merges that double a token would otherwise grow without bound. */
    public static final int MAX_TOKEN_BYTES = 1024;

    /** One learned merge: tokens {@code left} and {@code right} become one new token. */
    public record Merge(int left, int right) {
    }

    /** The result of encoding a text: its UTF-8 length, its token count and their ratio. */
    public record Compression(long bytes, long tokens) {
        /** UTF-8 bytes per token: 1 with no merges, higher is better compression. */
        public double bytesPerToken() {
            return tokens == 0 ? 0 : (double) bytes / tokens;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%,d bytes -> %,d tokens (%.2f bytes per token)",
                    bytes, tokens, bytesPerToken());
        }
    }

    private final List<Merge> merges;
    /** The merge number of each pair of ids that has one; the merged token's id is 256 + rank. */
    private final Map<Long, Integer> rank = new HashMap<>();
    /** The bytes each token id stands for. */
    private final byte[][] tokenBytes;

    /** A tokenizer applying {@code merges} in the given order (for example, read by {@link BpeFile}). */
    public BpeTokenizer(List<Merge> merges) {
        if (merges.size() > MAX_MERGES) {
            throw new IllegalArgumentException("BpeTokenizer: " + merges.size() + " merges, more than the limit of "
                    + MAX_MERGES);
        }
        this.merges = List.copyOf(merges);
        this.tokenBytes = new byte[BYTES + merges.size()][];
        for (int b = 0; b < BYTES; b++) {
            tokenBytes[b] = new byte[] {(byte) b};
        }
        for (int k = 0; k < this.merges.size(); k++) {
            Merge m = this.merges.get(k);
            int id = BYTES + k;
            if (m.left() < 0 || m.left() >= id || m.right() < 0 || m.right() >= id) {
                throw new IllegalArgumentException("BpeTokenizer: merge " + k + " (" + m.left() + ", " + m.right()
                        + ") refers to a token that does not exist yet (ids so far: 0-" + (id - 1) + ")");
            }
            if (rank.putIfAbsent(BpeTrainer.pair(m.left(), m.right()), k) != null) {
                throw new IllegalArgumentException("BpeTokenizer: merge " + k + " (" + m.left() + ", " + m.right()
                        + ") repeats merge " + rank.get(BpeTrainer.pair(m.left(), m.right())));
            }
            byte[] l = tokenBytes[m.left()];
            byte[] r = tokenBytes[m.right()];
            if (l.length + r.length > MAX_TOKEN_BYTES) {
                throw new IllegalArgumentException("BpeTokenizer: merge " + k + " (" + m.left() + ", " + m.right()
                        + ") makes a token of " + (l.length + r.length) + " bytes, over the limit of " + MAX_TOKEN_BYTES);
            }
            byte[] joined = Arrays.copyOf(l, l.length + r.length);
            System.arraycopy(r, 0, joined, l.length, r.length);
            tokenBytes[id] = joined;
        }
    }

    /**
     * Learns merges on {@code corpus} until the vocabulary has {@code vocabSize} tokens (or no
     * adjacent pair is left to merge, for a corpus too small for that size).
     */
    public static BpeTokenizer train(String corpus, int vocabSize) {
        return new BpeTokenizer(BpeTrainer.train(corpus, vocabSize));
    }

    /** Saves the merges to {@code file} (atomically); see {@link BpeFile} for the format. */
    public void save(Path file) {
        BpeFile.save(this, file);
    }

    /** Loads a tokenizer saved by {@link #save}. */
    public static BpeTokenizer load(Path file) throws IOException {
        return BpeFile.load(file);
    }

    @Override
    public int[] encode(String text) {
        checkWellFormed(text);
        List<int[]> pieces = new ArrayList<>();
        int total = 0;
        for (String chunk : PreTokenizer.split(text)) {
            int[] ids = encodeChunk(chunk.getBytes(StandardCharsets.UTF_8));
            pieces.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] ids : pieces) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
        }
        return out;
    }

    /** Applies the merges to one chunk: always the learned-earliest pair first. */
    private int[] encodeChunk(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        while (ids.length >= 2) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < ids.length; i++) {
                Integer k = rank.get(BpeTrainer.pair(ids[i], ids[i + 1]));
                if (k != null && k < best) {
                    best = k;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            Merge m = merges.get(best);
            ids = mergePair(ids, m.left(), m.right(), BYTES + best);
        }
        return ids;
    }

    /** {@code ids} with every non-overlapping occurrence of (left, right), scanned left to right, replaced by {@code id}. */
    static int[] mergePair(int[] ids, int left, int right, int id) {
        int[] out = new int[ids.length];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (i + 1 < ids.length && ids[i] == left && ids[i + 1] == right) {
                out[n++] = id;
                i++;
            } else {
                out[n++] = ids[i];
            }
        }
        return n == ids.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * The text of {@code ids}. A sequence cut in the middle of a multi-byte character is not
     * valid UTF-8; such bytes decode to U+FFFD, the replacement character (use
     * {@link #decodeBytes} to see the raw bytes).
     */
    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The concatenated bytes of the tokens {@code ids}. */
    public byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int i = 0; i < ids.length; i++) {
            out.writeBytes(tokenBytes(ids[i]));
        }
        return out.toByteArray();
    }

    /** The bytes token {@code id} stands for (a copy). */
    public byte[] tokenBytes(int id) {
        if (id < 0 || id >= tokenBytes.length) {
            throw new IllegalArgumentException("BpeTokenizer: token id " + id + " is outside the vocabulary [0, "
                    + tokenBytes.length + ")");
        }
        return tokenBytes[id].clone();
    }

    @Override
    public int vocabSize() {
        return tokenBytes.length;
    }

    /** The learned merges in order; merge {@code k} makes token {@code 256 + k}. */
    public List<Merge> merges() {
        return merges;
    }

    /** How much the tokenizer shortens {@code text}: bytes of UTF-8 against tokens. */
    public Compression compression(String text) {
        return new Compression(text.getBytes(StandardCharsets.UTF_8).length, encode(text).length);
    }

    /** Rejects unpaired surrogates: they are not characters, and UTF-8 has no bytes for them. */
    private static void checkWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format("BpeTokenizer.encode: unpaired surrogate U+%04X at "
                        + "index %d is not a Unicode character and has no UTF-8 encoding", (int) c, i));
            }
        }
    }
}
