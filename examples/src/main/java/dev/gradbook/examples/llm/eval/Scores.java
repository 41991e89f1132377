package dev.gradbook.examples.llm.eval;

import dev.gradbook.nn.metrics.Bleu;
import dev.gradbook.nn.metrics.ExactMatch;
import dev.gradbook.nn.metrics.Metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The four scores of the evaluation chapter for one {@link CharModel} on held-out text:
 * perplexity and next-character accuracy at every scored position, then, from greedy
 * continuations that start inside a word, the exact match of the completed word and the BLEU-1 and
 * BLEU-2 of the continuation's words against the text that really follows.
 */
public record Scores(String model, double perplexity, double accuracy, double exactMatch, double bleu1, double bleu2) {
    /** Scores {@code model} on {@code text} at {@code positions} and continues {@code prompts} by {@code length} characters. */
    public static Scores of(CharModel model, int[] text, int[] positions, int[] prompts, int length, String vocabulary) {
        double[][] p = model.nextCharProbabilities(text, positions);
        double nll = 0;
        int correct = 0;
        for (int i = 0; i < positions.length; i++) {
            int truth = text[positions[i]];
            nll -= Math.log(p[i][truth]);
            if (argmax(p[i]) == truth) {
                correct++;
            }
        }
        String[] continuations = greedy(model, text, prompts, length, vocabulary);
        List<String> predictedWords = new ArrayList<>();
        List<List<String>> referenceWords = new ArrayList<>();
        List<List<String>> candidates = new ArrayList<>();
        List<List<List<String>>> references = new ArrayList<>();
        for (int j = 0; j < prompts.length; j++) {
            String truth = decode(text, prompts[j], length, vocabulary);
            String prefix = lettersBefore(text, prompts[j], vocabulary);
            predictedWords.add(prefix + firstWord(continuations[j]));
            referenceWords.add(List.of(prefix + firstWord(truth)));
            candidates.add(words(continuations[j]));
            references.add(List.of(words(truth)));
        }
        return new Scores(model.name(), Metrics.perplexity(nll / positions.length), (double) correct / positions.length,
                ExactMatch.mean(predictedWords, referenceWords), Bleu.corpus(references, candidates, 1),
                Bleu.corpus(references, candidates, 2));
    }

    /** Perplexity alone: {@code exp} of the mean negative log-probability of the true characters. */
    public static double perplexity(CharModel model, int[] text, int[] positions) {
        double[][] p = model.nextCharProbabilities(text, positions);
        double nll = 0;
        for (int i = 0; i < positions.length; i++) {
            nll -= Math.log(p[i][text[positions[i]]]);
        }
        return Metrics.perplexity(nll / positions.length);
    }

    /**
     * Greedy continuations of every prompt, all advanced together: prompt {@code j} gets a segment of
     * a shared buffer holding the characters before it and then what the model writes.
     */
    static String[] greedy(CharModel model, int[] text, int[] prompts, int length, String vocabulary) {
        int before = 8;
        int segment = before + length;
        int[] buffer = new int[prompts.length * segment];
        for (int j = 0; j < prompts.length; j++) {
            System.arraycopy(text, prompts[j] - before, buffer, j * segment, before);
        }
        int[] positions = new int[prompts.length];
        for (int step = 0; step < length; step++) {
            for (int j = 0; j < prompts.length; j++) {
                positions[j] = j * segment + before + step;
            }
            double[][] p = model.nextCharProbabilities(buffer, positions);
            for (int j = 0; j < prompts.length; j++) {
                buffer[positions[j]] = argmax(p[j]);
            }
        }
        String[] out = new String[prompts.length];
        for (int j = 0; j < prompts.length; j++) {
            out[j] = decode(buffer, j * segment + before, length, vocabulary);
        }
        return out;
    }

    /** The letters of the word that {@code position} is inside of, up to {@code position}. */
    static String lettersBefore(int[] text, int position, String vocabulary) {
        int start = position;
        while (start > 0 && Character.isLetter(vocabulary.charAt(text[start - 1]))) {
            start--;
        }
        return decode(text, start, position - start, vocabulary);
    }

    /** The letters at the start of {@code s}, up to the first character that is not a letter. */
    static String firstWord(String s) {
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return s.substring(0, end);
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static String decode(int[] ids, int from, int length, String vocabulary) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + length; i++) {
            sb.append(vocabulary.charAt(ids[i]));
        }
        return sb.toString();
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }
}
