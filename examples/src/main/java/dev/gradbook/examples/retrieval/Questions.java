package dev.gradbook.examples.retrieval;

import dev.gradbook.core.Rng;
import dev.gradbook.transformer.retrieval.TextAnalyzer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Question-passage pairs generated from the book with a seed, the way synthetic retrieval sets are
 * often built: pick a passage, pick one of its sentences, and keep a few of that sentence's
 * content words in shuffled order as the "question" ("bingley netherfield ball invitation"), plus
 * a few content words of a random other passage standing in for the mismatch of a real
 * paraphrase. The passage the sentence came from is the one relevant passage; {@code sentence}
 * records which of its sentences was used, so that a training set can avoid a test set's sentences.
 */
record Questions(List<String> text, int[] passage, int[] sentence) {
    /** Content words of the source sentence kept in each question. */
    static final int WORDS = 3;
    /** Content words from a random other passage added to each question. */
    static final int NOISE = 2;

    int size() {
        return passage.length;
    }

    /** {@code count} questions from random passages. */
    static Questions generate(List<String> passages, TextAnalyzer analyzer, int count, Rng rng) {
        Builder b = new Builder();
        while (b.size() < count) {
            b.tryOne(passages, analyzer, rng.nextInt(passages.size()), rng, Set.of());
        }
        return b.build();
    }

    /**
     * One question about each passage of {@code which} (in that order), never from a sentence in
     * {@code avoid} (keys of {@link #sentenceKey}); a passage with no usable sentence left is skipped.
     */
    static Questions about(List<String> passages, TextAnalyzer analyzer, int[] which, Rng rng, Set<Long> avoid) {
        Builder b = new Builder();
        for (int p : which) {
            for (int attempt = 0; attempt < 8 && !b.tryOne(passages, analyzer, p, rng, avoid); attempt++) {
                // another sentence of the same passage
            }
        }
        return b.build();
    }

    /** These questions less those whose text is in {@code texts}. */
    Questions without(Set<String> texts) {
        Builder b = new Builder();
        for (int i = 0; i < size(); i++) {
            if (!texts.contains(text.get(i))) {
                b.text.add(text.get(i));
                b.passage.add(passage[i]);
                b.sentence.add(sentence[i]);
            }
        }
        return b.build();
    }

    /** The sentences the questions came from, as keys for {@link #about}'s {@code avoid}. */
    Set<Long> sentenceKeys() {
        Set<Long> keys = new java.util.HashSet<>();
        for (int i = 0; i < size(); i++) {
            keys.add(sentenceKey(passage[i], sentence[i]));
        }
        return keys;
    }

    static long sentenceKey(int passage, int sentence) {
        return ((long) passage << 32) | sentence;
    }

    static String[] sentences(String passage) {
        return passage.split("(?<=[.!?])\\s+");
    }

    private static final class Builder {
        final List<String> text = new ArrayList<>();
        final List<Integer> passage = new ArrayList<>();
        final List<Integer> sentence = new ArrayList<>();

        int size() {
            return text.size();
        }

        /** Adds a question from a random sentence of passage {@code p}; false if that sentence is too short or avoided. */
        boolean tryOne(List<String> passages, TextAnalyzer analyzer, int p, Rng rng, Set<Long> avoid) {
            String[] sentences = sentences(passages.get(p));
            int s = rng.nextInt(sentences.length);
            List<String> words = new ArrayList<>(new LinkedHashSet<>(analyzer.terms(sentences[s])));
            if (words.size() < WORDS + 1 || avoid.contains(sentenceKey(p, s))) {
                return false;
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
            passage.add(p);
            sentence.add(s);
            return true;
        }

        Questions build() {
            return new Questions(List.copyOf(text), passage.stream().mapToInt(Integer::intValue).toArray(),
                    sentence.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
