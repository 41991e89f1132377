package dev.gradbook.transformer.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WordPiece, the sub-word tokenizer of BERT (Schuster and Nakajima 2012; Wu et al. 2016,
 * "Google's Neural Machine Translation System", section 4.1; Devlin et al. 2019, section 3).
 *
 * <p>Text is first lower-cased and cut into words: runs of letters and digits, and single
 * punctuation marks ({@link #words}); white space is dropped. Each word is then split greedily,
 * longest match first: take the longest prefix that is in the vocabulary, then the longest
 * continuation of the rest, written with a leading {@code ##} ({@code "unaffable"} becomes
 * {@code un ##aff ##able} in the BERT paper's example). A word that cannot be covered becomes one
 * {@code [UNK]}. The vocabulary is learned by {@link WordPieceTrainer}.
 *
 * <p>Unlike byte-level BPE ({@link BpeTokenizer}) this is lossy: case, white space and any
 * character outside the vocabulary are gone after a round trip; {@link #decode} joins
 * {@code ##} pieces to the piece before and puts one space between words.
 *
 * <p>Ids 0-4 are the special tokens {@code [PAD] [UNK] [CLS] [SEP] [MASK]} ({@link #SPECIALS}).
 */
public final class WordPieceTokenizer implements Tokenizer {
    /** The special tokens, in id order 0-4. */
    public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    public static final int PAD = 0;
    public static final int UNK = 1;
    public static final int CLS = 2;
    public static final int SEP = 3;
    public static final int MASK = 4;
    /** The prefix of a piece that continues a word. */
    public static final String CONTINUATION = "##";

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+|[^\\s\\p{L}\\p{M}\\p{N}]",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final List<String> vocab;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int longest;

    /** A tokenizer over {@code vocab}, which must start with {@link #SPECIALS} and hold no duplicates. */
    public WordPieceTokenizer(List<String> vocab) {
        if (vocab.size() < SPECIALS.size() || !vocab.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new IllegalArgumentException("WordPieceTokenizer: the vocabulary must start with " + SPECIALS
                    + ", got " + vocab.subList(0, Math.min(vocab.size(), SPECIALS.size())));
        }
        this.vocab = List.copyOf(vocab);
        int max = 0;
        for (int i = 0; i < vocab.size(); i++) {
            if (ids.putIfAbsent(vocab.get(i), i) != null) {
                throw new IllegalArgumentException("WordPieceTokenizer: '" + vocab.get(i) + "' appears twice (ids "
                        + ids.get(vocab.get(i)) + " and " + i + ")");
            }
            max = Math.max(max, vocab.get(i).length());
        }
        this.longest = max;
    }

    /** The words of {@code text} before splitting into pieces: lower case, punctuation marks on their own. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Override
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        for (String word : words(text)) {
            encodeWord(word, out);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Greedy longest-match-first pieces of one word, or a single [UNK]. */
    private void encodeWord(String word, List<Integer> out) {
        int mark = out.size();
        int start = 0;
        while (start < word.length()) {
            String prefix = start == 0 ? "" : CONTINUATION;
            int end = Math.min(word.length(), start + longest);
            Integer id = null;
            for (; end > start; end--) {
                id = ids.get(prefix + word.substring(start, end));
                if (id != null) {
                    break;
                }
            }
            if (id == null) {
                out.subList(mark, out.size()).clear();
                out.add(UNK);
                return;
            }
            out.add(id);
            start = end;
        }
    }

    @Override
    public String decode(int[] tokenIds) {
        StringBuilder sb = new StringBuilder();
        for (int id : tokenIds) {
            String piece = piece(id);
            if (piece.startsWith(CONTINUATION) && piece.length() > CONTINUATION.length()) {
                sb.append(piece, CONTINUATION.length(), piece.length());
            } else {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(piece);
            }
        }
        return sb.toString();
    }

    /** The vocabulary entry of {@code id}, e.g. {@code "##ing"}. */
    public String piece(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("WordPieceTokenizer: id " + id + " is outside the vocabulary of "
                    + vocab.size());
        }
        return vocab.get(id);
    }

    /** The id of {@code piece}, or {@link #UNK} if it is not in the vocabulary. */
    public int id(String piece) {
        return ids.getOrDefault(piece, UNK);
    }

    /** The vocabulary in id order. */
    public List<String> vocabulary() {
        return vocab;
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }
}
