package dev.gradbook.examples.retrieval;

import dev.gradbook.core.Rng;
import dev.gradbook.transformer.retrieval.TextAnalyzer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Question-passage pairs generated from the book with a seed, the way synthetic retrieval sets are
 * often built: pick a passage, pick one of its sentences, and keep a few of that sentence's
 * content words in shuffled order as the "question" ("bingley netherfield ball invitation"). One
 * more content word of the sentence is held out as the answer a reader must find (for {@code rag}).
 * The passage the sentence came from is the one relevant passage.
 */
record Questions(List<String> text, int[] passage, List<String> answer) {
    /** Content words of the source sentence kept in each question. */
    static final int WORDS = 3;
    /** Content words from a random other passage added to each question. */
    static final int NOISE = 2;

    int size() {
        return passage.length;
    }

    static Questions generate(List<String> passages, TextAnalyzer analyzer, int count, Rng rng) {
        List<String> text = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        int[] relevant = new int[count];
        int made = 0;
        while (made < count) {
            int p = rng.nextInt(passages.size());
            String[] sentences = passages.get(p).split("(?<=[.!?])\\s+");
            List<String> words = distinct(analyzer.terms(sentences[rng.nextInt(sentences.length)]));
            if (words.size() < WORDS + 1) {
                continue;
            }
            int[] order = rng.permutation(words.size());
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < WORDS; i++) {
                kept.add(words.get(order[i]));
            }
            List<String> other = analyzer.terms(passages.get(rng.nextInt(passages.size())));
            for (int i = 0; i < NOISE && !other.isEmpty(); i++) {
                kept.add(rng.nextInt(kept.size() + 1), other.get(rng.nextInt(other.size())));
            }
            text.add(String.join(" ", kept));
            answers.add(words.get(order[WORDS]).toLowerCase(Locale.ROOT));
            relevant[made++] = p;
        }
        return new Questions(List.copyOf(text), relevant, List.copyOf(answers));
    }

    private static List<String> distinct(List<String> terms) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(terms));
    }

    /** Questions {@code from} (inclusive) to {@code to} (exclusive). */
    Questions range(int from, int to) {
        return new Questions(text.subList(from, to), java.util.Arrays.copyOfRange(passage, from, to),
                answer.subList(from, to));
    }
}
