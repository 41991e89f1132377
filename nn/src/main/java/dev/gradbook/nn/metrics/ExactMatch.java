package dev.gradbook.nn.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Exact match: the share of predictions that equal their reference answer after normalisation,
 * the headline score of SQuAD (Rajpurkar et al. 2016, section 5) and of many question-answering and
 * arithmetic benchmarks since.
 *
 * <p>Without normalisation "The Eiffel Tower." and "eiffel tower" would count as different
 * answers. SQuAD's evaluation lower-cases, removes punctuation and the articles a/an/the, and
 * collapses white space before comparing; {@link #normalize} does the same. With several
 * acceptable references a prediction scores if it matches any of them.
 */
public final class ExactMatch {
    private ExactMatch() {
    }

    /** Lower case, no punctuation, no articles (a, an, the), single spaces, trimmed. */
    public static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder noPunct = new StringBuilder(lower.length());
        lower.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean punctuation = type >= Character.DASH_PUNCTUATION && type <= Character.OTHER_PUNCTUATION
                    || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                    || type == Character.CONNECTOR_PUNCTUATION;
            if (!punctuation) {
                noPunct.appendCodePoint(c);
            }
        });
        StringBuilder out = new StringBuilder();
        for (String word : noPunct.toString().trim().split("\\s+")) {
            if (word.isEmpty() || word.equals("a") || word.equals("an") || word.equals("the")) {
                continue;
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    /** 1 if {@code prediction} normalises to the same text as any of {@code references}, else 0. */
    public static double score(String prediction, List<String> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("ExactMatch: no reference for prediction \"" + shorten(prediction) + "\"");
        }
        String p = normalize(prediction);
        for (String r : references) {
            if (p.equals(normalize(r))) {
                return 1.0;
            }
        }
        return 0.0;
    }

    /** The mean score over a set of predictions, {@code references.get(i)} belonging to {@code predictions.get(i)}. */
    public static double mean(List<String> predictions, List<List<String>> references) {
        if (predictions.size() != references.size() || predictions.isEmpty()) {
            throw new IllegalArgumentException("ExactMatch: " + predictions.size() + " predictions and "
                    + references.size() + " reference lists (need the same, non-zero number)");
        }
        double total = 0;
        for (int i = 0; i < predictions.size(); i++) {
            total += score(predictions.get(i), references.get(i));
        }
        return total / predictions.size();
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
