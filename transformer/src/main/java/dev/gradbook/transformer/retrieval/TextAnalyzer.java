package dev.gradbook.transformer.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns text into the terms a sparse index counts: lower-cased runs of letters and digits, with
 * the stop words (the, of, and ...) left out, as in the "bag of words" of classic information
 * retrieval (Manning, Raghavan and Schütze, "Introduction to Information Retrieval", 2008,
 * section 2.2). No stemming: "walked" and "walking" stay different terms.
 */
public final class TextAnalyzer {
    private final Set<String> stopWords;

    /** An analyzer that drops the given (lower-case) stop words; pass {@code Set.of()} to keep every word. */
    public TextAnalyzer(Set<String> stopWords) {
        if (stopWords == null) {
            throw new IllegalArgumentException("TextAnalyzer: stopWords is null (use Set.of() for none)");
        }
        this.stopWords = Set.copyOf(stopWords);
    }

    /** The terms of {@code text} in order, repeats kept. */
    public List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i <= lower.length(); i++) {
            char c = i < lower.length() ? lower.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
            } else if (word.length() > 0) {
                String w = word.toString();
                if (!stopWords.contains(w)) {
                    out.add(w);
                }
                word.setLength(0);
            }
        }
        return out;
    }

    public boolean isStopWord(String lowerCaseWord) {
        return stopWords.contains(lowerCaseWord);
    }
}
