package dev.gradbook.examples.retrieval;

import dev.gradbook.examples.cli.ChapterContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The retrieval chapters' corpus: Pride and Prejudice cut into passages of whole paragraphs of at
 * least {@link #MIN_WORDS} words, the unit a retriever returns, plus the English stop-word list.
 */
record Book(List<String> passages, Set<String> stopWords) {
    static final String TEXT = "text/pride_and_prejudice.txt";
    static final String STOP_WORDS = "lexicon/stopwords_en.txt";
    /** Paragraphs are merged until a passage has at least this many words. */
    static final int MIN_WORDS = 60;

    static Book load(ChapterContext ctx, int maxPassages) throws IOException {
        String text = read(ctx, TEXT);
        int start = text.indexOf("Chapter 1");
        List<String> passages = passages(text.substring(Math.max(0, start)), MIN_WORDS);
        if (passages.size() > maxPassages) {
            passages = passages.subList(0, maxPassages);
        }
        Set<String> stop = read(ctx, STOP_WORDS).lines().map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(HashSet::new));
        return new Book(List.copyOf(passages), stop);
    }

    /** Blank-line-separated paragraphs, whitespace collapsed, merged until each has {@code minWords} words. */
    static List<String> passages(String text, int minWords) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int words = 0;
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String p = paragraph.strip().replaceAll("\\s+", " ");
            if (p.isEmpty() || p.startsWith("Chapter ")) {
                continue;
            }
            current.append(current.length() > 0 ? " " : "").append(p);
            words += p.split(" ").length;
            if (words >= minWords) {
                out.add(current.toString());
                current.setLength(0);
                words = 0;
            }
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    private static String read(ChapterContext ctx, String relative) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(ctx.openData(relative), StandardCharsets.UTF_8))) {
            return r.lines().collect(Collectors.joining("\n"));
        }
    }
}
