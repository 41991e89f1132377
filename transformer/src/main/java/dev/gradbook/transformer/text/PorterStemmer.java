package dev.gradbook.transformer.text;

import java.util.Locale;

/**
 * The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980),
 * as the paper gives it: five steps of suffix rules, each guarded by a condition on the stem
 * that is left. {@code connected}, {@code connecting}, {@code connection} and
 * {@code connections} all become {@code connect}, so a bag of words counts them as one term.
 *
 * <p>The conditions use the paper's notation. A consonant {@code c} is a letter other than
 * a, e, i, o, u, and other than a y that follows a consonant; a vowel {@code v} is any other
 * letter. Every word is {@code [C](VC)^m[V]} for runs C of consonants and V of vowels, and
 * {@code m}, the <em>measure</em>, counts its vowel-consonant runs ({@code tree} 0,
 * {@code trouble} 1, {@code private} 2). Further: {@code *v*} the stem holds a vowel; {@code *d}
 * it ends in a double consonant; {@code *o} it ends consonant-vowel-consonant with the last not
 * w, x or y ({@code hop}, not {@code how}). In steps 2 to 4 only the longest matching suffix of
 * the list is considered; if its condition fails, the step does nothing.
 *
 * <p>Words of one or two letters are left alone. Input is lower-cased; the stemmer is meant for
 * English words of letters a-z (other characters count as consonants).
 */
public final class PorterStemmer {
    private static final String[][] STEP2 = {
            {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
            {"abli", "able"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
            {"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
            {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"}};
    private static final String[][] STEP3 = {
            {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""},
            {"ness", ""}};
    private static final String[] STEP4 = {
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
            "ate", "iti", "ous", "ive", "ize"};

    private PorterStemmer() {
    }

    /** The stem of one word. */
    public static String stem(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.length() <= 2) {
            return w;
        }
        w = step1a(w);
        w = step1b(w);
        w = step1c(w);
        w = replaceLongest(w, STEP2, 0);
        w = replaceLongest(w, STEP3, 0);
        w = step4(w);
        return step5(w);
    }

    /** Plurals: sses -> ss, ies -> i, ss -> ss, s -> "". */
    private static String step1a(String w) {
        if (w.endsWith("sses") || w.endsWith("ies")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.endsWith("s") && !w.endsWith("ss")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    /** Past tense and -ing: (m>0) eed -> ee; (*v*) ed -> ""; (*v*) ing -> "", then tidy the stem. */
    private static String step1b(String w) {
        if (w.endsWith("eed")) {
            return measure(w, w.length() - 3) > 0 ? w.substring(0, w.length() - 1) : w;
        }
        String stem;
        if (w.endsWith("ed") && hasVowel(w, w.length() - 2)) {
            stem = w.substring(0, w.length() - 2);
        } else if (w.endsWith("ing") && hasVowel(w, w.length() - 3)) {
            stem = w.substring(0, w.length() - 3);
        } else {
            return w;
        }
        if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) {
            return stem + "e";                                          // conflat(ed) -> conflate
        }
        int n = stem.length();
        if (endsWithDoubleConsonant(stem, n) && "lsz".indexOf(stem.charAt(n - 1)) < 0) {
            return stem.substring(0, n - 1);                             // hopp(ing) -> hop
        }
        if (measure(stem, n) == 1 && endsCvc(stem, n)) {
            return stem + "e";                                          // fil(ing) -> file
        }
        return stem;
    }

    /** (*v*) y -> i: happy -> happi, but sky stays. */
    private static String step1c(String w) {
        if (w.endsWith("y") && hasVowel(w, w.length() - 1)) {
            return w.substring(0, w.length() - 1) + "i";
        }
        return w;
    }

    /** Steps 2 and 3: the longest suffix of the table is replaced if the stem before it has m > minMeasure. */
    private static String replaceLongest(String w, String[][] rules, int minMeasure) {
        String[] best = null;
        for (String[] rule : rules) {
            if (w.endsWith(rule[0]) && (best == null || rule[0].length() > best[0].length())) {
                best = rule;
            }
        }
        if (best == null) {
            return w;
        }
        int stemEnd = w.length() - best[0].length();
        return measure(w, stemEnd) > minMeasure ? w.substring(0, stemEnd) + best[1] : w;
    }

    /** (m>1) drop the longest listed suffix; -ion only after s or t. */
    private static String step4(String w) {
        String best = null;
        for (String suffix : STEP4) {
            if (w.endsWith(suffix) && (best == null || suffix.length() > best.length())) {
                best = suffix;
            }
        }
        if (best == null) {
            return w;
        }
        int stemEnd = w.length() - best.length();
        if (best.equals("ion") && (stemEnd == 0 || "st".indexOf(w.charAt(stemEnd - 1)) < 0)) {
            return w;
        }
        return measure(w, stemEnd) > 1 ? w.substring(0, stemEnd) : w;
    }

    /** (m>1) e -> ""; (m=1 and not *o) e -> ""; (m>1 and *d and *l) ll -> l. */
    private static String step5(String w) {
        int n = w.length();
        if (w.endsWith("e")) {
            int m = measure(w, n - 1);
            if (m > 1 || (m == 1 && !endsCvc(w, n - 1))) {
                w = w.substring(0, n - 1);
                n--;
            }
        }
        if (measure(w, n) > 1 && endsWithDoubleConsonant(w, n) && w.charAt(n - 1) == 'l') {
            return w.substring(0, n - 1);
        }
        return w;
    }

    private static boolean isConsonant(String w, int i) {
        char c = w.charAt(i);
        if ("aeiou".indexOf(c) >= 0) {
            return false;
        }
        if (c == 'y') {
            return i == 0 || !isConsonant(w, i - 1);
        }
        return true;
    }

    /** m of the first {@code end} letters: the number of vowel-to-consonant changes. */
    static int measure(String w, int end) {
        int m = 0;
        boolean previousVowel = false;
        for (int i = 0; i < end; i++) {
            boolean vowel = !isConsonant(w, i);
            if (previousVowel && !vowel) {
                m++;
            }
            previousVowel = vowel;
        }
        return m;
    }

    private static boolean hasVowel(String w, int end) {
        for (int i = 0; i < end; i++) {
            if (!isConsonant(w, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithDoubleConsonant(String w, int end) {
        return end >= 2 && w.charAt(end - 1) == w.charAt(end - 2) && isConsonant(w, end - 1);
    }

    private static boolean endsCvc(String w, int end) {
        return end >= 3 && isConsonant(w, end - 3) && !isConsonant(w, end - 2) && isConsonant(w, end - 1)
                && "wxy".indexOf(w.charAt(end - 1)) < 0;
    }
}
