package dev.gradbook.examples.llm.align;

import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The judge of Part 5's alignment chapters, written in code so that every preference can be
 * checked by hand: the sentiment of a text by Hu and Liu's opinion lexicon (2004; 2,006 positive
 * and 4,783 negative English words, {@code data/lexicon/}).
 * <pre>
 *     score(text) = #positive words - #negative words
 * </pre>
 * where the words of a text are its maximal runs of ASCII letters, lower-cased ("Good-night, sweet
 * prince!" has the words good, night, sweet, prince: score 2), and a word counts once per
 * occurrence. The three words on both lists (envious, enviously, enviousness) count on both sides
 * and so score 0. Lexicon lines that are empty or start with ';' (comments) are skipped.
 *
 * <p>In Tiny Shakespeare about 4.2% of words are positive (good, well, love, like, fair, noble,
 * sweet...) and 4.4% negative (death, fear, poor, dead, die...), so a continuation of a dozen
 * words scores -2..2 and often 0. That is the signal the alignment chapters optimise: a judge
 * that stands in for human raters, with the same weakness as a learned reward (it can be gamed
 * by repeating "good").
 */
public final class LexiconJudge {
    /** The lexicon files, relative to the data folder. */
    public static final String POSITIVE = "lexicon/opinion_positive.txt";
    public static final String NEGATIVE = "lexicon/opinion_negative.txt";

    private final Set<String> positive;
    private final Set<String> negative;

    /** A judge with these word lists (lower-case words of ASCII letters). */
    public LexiconJudge(Set<String> positive, Set<String> negative) {
        if (positive.isEmpty() || negative.isEmpty()) {
            throw new IllegalArgumentException("LexiconJudge: both word lists must be non-empty, got "
                    + positive.size() + " positive and " + negative.size() + " negative");
        }
        this.positive = Set.copyOf(positive);
        this.negative = Set.copyOf(negative);
    }

    /** The judge on the shipped opinion lexicon, read through the chapter's data folder. */
    public static LexiconJudge load(ChapterContext ctx) throws IOException {
        try (InputStream pos = ctx.openData(POSITIVE); InputStream neg = ctx.openData(NEGATIVE)) {
            return new LexiconJudge(readWords(pos), readWords(neg));
        }
    }

    /** The judge on the shipped opinion lexicon in {@code dataDir} (null: the default data folder, as in {@link Datasets}). */
    public static LexiconJudge load(Path dataDir) throws IOException {
        try (InputStream pos = Datasets.open(dataDir, POSITIVE); InputStream neg = Datasets.open(dataDir, NEGATIVE)) {
            return new LexiconJudge(readWords(pos), readWords(neg));
        }
    }

    /** One word per line; empty lines and ';' comments skipped; lower-cased. */
    public static Set<String> readWords(InputStream in) throws IOException {
        Set<String> words = new HashSet<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            String w = line.strip().toLowerCase(Locale.ROOT);
            if (!w.isEmpty() && !w.startsWith(";")) {
                words.add(w);
            }
        }
        return words;
    }

    /** What the judge found in a text: the positive and negative words, in order of occurrence. */
    public record Verdict(List<String> positiveWords, List<String> negativeWords) {
        /** {@code #positive - #negative}. */
        public int score() {
            return positiveWords.size() - negativeWords.size();
        }
    }

    /** The words the judge counted in {@code text}. */
    public Verdict judge(String text) {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        for (String w : words(text)) {
            if (positive.contains(w)) {
                pos.add(w);
            }
            if (negative.contains(w)) {
                neg.add(w);
            }
        }
        return new Verdict(pos, neg);
    }

    /** {@code #positive words - #negative words} of {@code text}. */
    public int score(String text) {
        return judge(text).score();
    }

    /** The maximal runs of ASCII letters of {@code text}, lower-cased. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (letter && start < 0) {
                start = i;
            } else if (!letter && start >= 0) {
                out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
        }
        return out;
    }
}
