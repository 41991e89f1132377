package dev.gradbook.examples.language.translation;

import java.util.ArrayList;
import java.util.List;

/**
 * The translation task of the seq2seq chapter: a number below 100,000 written in English words,
 * to be translated into its digits.
 * <pre>
 *   forty two thousand seven hundred five      ->  4 2 7 0 5
 *   nineteen                                   ->  1 9
 * </pre>
 * The source vocabulary is the 30 number words; the target vocabulary is the ten digits plus
 * the special tokens padding (id 0), begin (1) and end (2), so digit {@code d} is id {@code d + 3}.
 * A number belongs to the held-out set when the top bits of a multiplicative hash of it,
 * {@code (n * 0x9E3779B97F4A7C15) >>> 32}, are 0 mod 10: a tenth of all numbers, scattered over
 * the whole range with no pattern in their digits, that training never shows.
 */
public final class NumberWords {
    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int LIMIT = 100_000;
    static final List<String> WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
            "thousand");

    private NumberWords() {
    }

    /** Source ids are 1 + the word's index (0 is padding): 31 ids. */
    public static int sourceVocab() {
        return WORDS.size() + 1;
    }

    /** Target ids: padding, begin, end and ten digits. */
    public static int targetVocab() {
        return 13;
    }

    public static boolean heldOut(int n) {
        return Math.floorMod((n * 0x9E3779B97F4A7C15L) >>> 32, 10L) == 0;
    }

    /** {@code n} in words, e.g. 42705 -> "forty two thousand seven hundred five". */
    public static List<String> words(int n) {
        if (n < 0 || n >= LIMIT) {
            throw new IllegalArgumentException("NumberWords: " + n + " is outside [0, " + LIMIT + ")");
        }
        if (n == 0) {
            return List.of("zero");
        }
        List<String> out = new ArrayList<>();
        if (n >= 1000) {
            belowThousand(n / 1000, out);
            out.add("thousand");
        }
        belowThousand(n % 1000, out);
        return out;
    }

    private static void belowThousand(int n, List<String> out) {
        if (n >= 100) {
            out.add(WORDS.get(n / 100));
            out.add("hundred");
            n %= 100;
        }
        if (n >= 20) {
            out.add(WORDS.get(18 + n / 10));
            n %= 10;
            if (n > 0) {
                out.add(WORDS.get(n));
            }
        } else if (n > 0) {
            out.add(WORDS.get(n));
        }
    }

    /** Source ids of {@code n}'s words. */
    public static int[] source(int n) {
        return words(n).stream().mapToInt(w -> WORDS.indexOf(w) + 1).toArray();
    }

    /** Target ids of {@code n}'s digits, without begin and end. */
    public static int[] digits(int n) {
        return Integer.toString(n).chars().map(c -> c - '0' + 3).toArray();
    }

    /** The source word of an id, for labels. */
    public static String sourceWord(int id) {
        return WORDS.get(id - 1);
    }

    /** The digits of target ids, as text. */
    public static String text(int[] targetIds) {
        StringBuilder sb = new StringBuilder();
        for (int id : targetIds) {
            sb.append(id >= 3 ? (char) ('0' + id - 3) : '?');
        }
        return sb.toString();
    }
}
