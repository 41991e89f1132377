package dev.gradbook.examples.retrieval;

import dev.gradbook.core.Rng;
import dev.gradbook.transformer.retrieval.TextAnalyzer;

import java.util.ArrayList;
import java.util.List;

/**
 * Fill-in-the-blank questions with one checkable answer, generated from the book with a seed:
 * pick a passage, a content word in it (not a stop word), and keep the {@code window} words on
 * each side: "elizabeth was ___ to find that" with answer "glad". The passage the blank came
 * from is the gold passage. A window cut short by the passage's start or end is padded with
 * empty strings, which the vocabulary reads as padding.
 *
 * @param left    per question, the words before the blank, nearest last
 * @param right   per question, the words after the blank, nearest first
 * @param answer  the blanked word
 * @param passage the gold passage
 */
record Cloze(List<List<String>> left, List<List<String>> right, List<String> answer, int[] passage) {
    int size() {
        return passage.length;
    }

    /** Question {@code i} as a reader of the book would see it. */
    String text(int i) {
        return (String.join(" ", left.get(i)) + " ___ " + String.join(" ", right.get(i))).strip();
    }

    /**
     * {@code count} questions from passages drawn from {@code from}; {@code words} splits a passage
     * into its words (stop words kept), {@code content} says which words may be blanked.
     */
    static Cloze generate(List<String> passages, int[] from, TextAnalyzer words, TextAnalyzer content, int window,
                          int count, Rng rng) {
        List<List<String>> left = new ArrayList<>();
        List<List<String>> right = new ArrayList<>();
        List<String> answer = new ArrayList<>();
        int[] gold = new int[count];
        while (answer.size() < count) {
            int p = from[rng.nextInt(from.length)];
            List<String> tokens = words.terms(passages.get(p));
            int at = rng.nextInt(tokens.size());
            String w = tokens.get(at);
            if (content.isStopWord(w) || w.length() < 3 || w.chars().anyMatch(Character::isDigit)) {
                continue;
            }
            List<String> l = new ArrayList<>();
            List<String> r = new ArrayList<>();
            for (int o = window; o >= 1; o--) {
                l.add(at - o >= 0 ? tokens.get(at - o) : "");
            }
            for (int o = 1; o <= window; o++) {
                r.add(at + o < tokens.size() ? tokens.get(at + o) : "");
            }
            gold[answer.size()] = p;
            left.add(l);
            right.add(r);
            answer.add(w);
        }
        return new Cloze(List.copyOf(left), List.copyOf(right), List.copyOf(answer), gold);
    }
}
