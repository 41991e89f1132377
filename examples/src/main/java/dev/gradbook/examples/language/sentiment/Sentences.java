package dev.gradbook.examples.language.sentiment;

import dev.gradbook.core.Rng;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Short reviews generated with a seed from opinion words, in four kinds, with the sentiment each
 * one carries:
 * <pre>
 *   PLAIN         the hotel was comfortable                    positive
 *   INTENSIFIED   the food was really awful                    negative
 *   NEGATED       the service was not friendly                 negative   (not, never, hardly, barely)
 *   NEGATED_FAR   i do not think the plot was dull             positive   (the negation four words back)
 * </pre>
 * A negation word flips the polarity of the opinion word; an intensifier does not. The same
 * opinion words appear in every kind, so a model can only get the negated kinds right by reading
 * the words in order.
 */
public final class Sentences {
    /** The four kinds of sentence. */
    public enum Kind { PLAIN, INTENSIFIED, NEGATED, NEGATED_FAR }

    /** One review: its words, whether it is positive, and its kind. */
    public record Sentence(List<String> words, boolean positive, Kind kind) {
        public String text() {
            return String.join(" ", words);
        }
    }

    private static final List<String> NOUNS = List.of("movie", "food", "hotel", "service", "book", "phone", "plot",
            "staff", "room", "music", "game", "car");
    private static final List<String> VERBS = List.of("was", "is", "seemed", "looked");
    private static final List<String> INTENSIFIERS = List.of("very", "really", "extremely", "quite", "truly");
    private static final List<String> NEGATIONS = List.of("not", "never", "hardly", "barely");
    private static final List<String> FAR = List.of("i do not think the", "nobody said the", "i never felt the",
            "we did not find the");

    private final List<String> positive;
    private final List<String> negative;

    /** {@code perSide} positive and {@code perSide} negative opinion words drawn from the lexicon with {@code rng}. */
    public Sentences(List<String> positiveLexicon, List<String> negativeLexicon, int perSide, Rng rng) {
        this.positive = draw(positiveLexicon, perSide, rng);
        this.negative = draw(negativeLexicon, perSide, rng);
    }

    private static List<String> draw(List<String> lexicon, int n, Rng rng) {
        List<String> simple = new ArrayList<>();
        for (String w : lexicon) {
            if (w.matches("[a-z]{3,12}")) {
                simple.add(w);
            }
        }
        if (simple.size() < n) {
            throw new IllegalArgumentException("Sentences: the lexicon has " + simple.size() + " simple words, " + n
                    + " asked");
        }
        int[] order = rng.permutation(simple.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(simple.get(order[i]));
        }
        Collections.sort(out);
        return out;
    }

    /**
     * {@code n} sentences, each polarity equally likely; of every ten, on average four plain,
     * three intensified, and three negated (half of them far), as negations are the rarer case
     * in real reviews.
     */
    public List<Sentence> generate(int n, Rng rng) {
        List<Sentence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int r = rng.nextInt(20);
            Kind kind = r < 8 ? Kind.PLAIN : r < 14 ? Kind.INTENSIFIED : r < 17 ? Kind.NEGATED : Kind.NEGATED_FAR;
            boolean label = rng.nextInt(2) == 0;
            boolean wordPositive = kind == Kind.NEGATED || kind == Kind.NEGATED_FAR ? !label : label;
            String opinion = pick(wordPositive ? positive : negative, rng);
            String noun = pick(NOUNS, rng);
            String verb = pick(VERBS, rng);
            List<String> words = new ArrayList<>();
            switch (kind) {
                case PLAIN -> words.addAll(List.of("the", noun, verb, opinion));
                case INTENSIFIED -> words.addAll(List.of("the", noun, verb, pick(INTENSIFIERS, rng), opinion));
                case NEGATED -> words.addAll(List.of("the", noun, verb, pick(NEGATIONS, rng), opinion));
                case NEGATED_FAR -> {
                    words.addAll(List.of(pick(FAR, rng).split(" ")));
                    words.addAll(List.of(noun, "was", opinion));
                }
            }
            out.add(new Sentence(List.copyOf(words), label, kind));
        }
        return out;
    }

    /** Every word the sentences can use, padding ({@code <pad>}, id 0) first, in a fixed order. */
    public Map<String, Integer> vocabulary() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        ids.put("<pad>", 0);
        List<String> all = new ArrayList<>(List.of("the", "was", "i", "do", "nobody", "said", "felt", "we", "did", "find",
                "think"));
        all.addAll(NOUNS);
        all.addAll(VERBS);
        all.addAll(INTENSIFIERS);
        all.addAll(NEGATIONS);
        all.addAll(positive);
        all.addAll(negative);
        for (String w : all) {
            ids.putIfAbsent(w, ids.size());
        }
        return ids;
    }

    private static String pick(List<String> words, Rng rng) {
        return words.get(rng.nextInt(words.size()));
    }
}
