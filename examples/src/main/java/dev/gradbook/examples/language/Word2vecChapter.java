package dev.gradbook.examples.language;

import dev.gradbook.core.Linalg;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.transformer.retrieval.TextAnalyzer;
import dev.gradbook.transformer.text.SkipGram;
import dev.gradbook.transformer.text.WordVectors;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * <h2>word2vec: words as vectors, learned from the company they keep</h2>
 *
 * <p>"You shall know a word by the company it keeps" (Firth 1957). Word2vec (Mikolov et al.
 * 2013, "Efficient Estimation of Word Representations in Vector Space", section 3.2, and
 * "Distributed Representations of Words and Phrases and their Compositionality", section 2.2)
 * turns that into a training task: from a word, tell the words that really occur within a few
 * places of it from random "noise" words. Each word {@code w} gets an input vector {@code v_w}
 * and an output vector {@code v'_w}, and skip-gram with negative sampling maximises, for every
 * word {@code w_I} of the text and every context word {@code w_O} near it,
 * <pre>
 *   log sigma(v'_O · v_I) + sum_{i=1..k} log sigma(-v'_{n_i} · v_I),     n_i drawn from U(w)^(3/4) / Z
 * </pre>
 * Words used in the same contexts ("elizabeth" and "jane" both come before "said" and after
 * "miss") are pushed towards the same output vectors, so their input vectors end up close: the
 * word vectors. The implementation ({@link SkipGram}) follows the paper's C code: subsampling
 * of frequent words, a random window, SGD with a linearly decaying rate, gradients by hand.
 *
 * <p>Vectors trained on billions of words show linear regularities: {@code king - man + woman}
 * lands nearest {@code queen} (Mikolov, Yih and Zweig 2013, section 4), the offset "male to
 * female" being roughly the same vector for every pair. A novel of 120,000 words is far too
 * small for that, so the chapter does both: it trains skip-gram on <i>Pride and Prejudice</i>
 * and shows nearest neighbours there, then asks analogies of the shipped GloVe vectors
 * (Pennington, Socher and Manning 2014; 100 dimensions, the 10,000 most frequent words of 6
 * billion tokens) and of the vectors trained here.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Neighbours in the novel: characters near characters ({@code elizabeth} near
 *       {@code jane}), kinship near kinship, feelings near feelings. Small data makes them noisy
 *       but recognisable.</li>
 *   <li>Neighbours in the novel (default run, seed 42): {@code elizabeth} near {@code lydia},
 *       {@code charlotte}, {@code jane}; {@code darcy} near {@code wickham}, {@code collins},
 *       {@code bingley}; {@code sister} near {@code mother}, {@code father}, {@code cousin}.</li>
 *   <li>GloVe answers {@code king - man + woman = queen} and most of the 36 other analogies
 *       (family, capitals, nationalities, plurals, comparatives, verb forms): 31 of 37, accuracy
 *       0.838. The misses are near misses ({@code bigger - big + small = larger}). The vectors
 *       from one novel answer 2 of the 8 analogies asked of them (0.250): 120,000 words are too
 *       few for the regularity to appear.</li>
 *   <li>{@code neighbours.png}: the chosen words and their neighbours from the novel, projected
 *       on their first two principal components; {@code glove-gender.png}: six male/female pairs
 *       in GloVe, each female word displaced from its partner in about the same direction.</li>
 * </ul>
 * With {@code --quick}: 2 epochs over the novel instead of 5; GloVe's answers are the same.
 * Default run: about 5 s of CPU.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --words "pride,anger,money"}: neighbours of your own words.</li>
 *   <li>{@code --window 2} and {@code --window 10}: small windows favour words of the same kind
 *       (syntax), large ones words of the same topic. Compare the neighbours.</li>
 *   <li>{@code --subsample 0}: keep every "the" and "of". What happens to the neighbours?</li>
 * </ol>
 */
public final class Word2vecChapter implements Chapter {
    private static final String BOOK = "text/pride_and_prejudice.txt";
    private static final String GLOVE = "vectors/glove_100d_top10k.txt.gz";
    private static final int NEIGHBOURS = 5;
    /** Analogies {@code a - b + c = d} in five kinds of relation, all words among GloVe's 10,000. */
    static final String[][] ANALOGIES = {
            {"king", "man", "woman", "queen"}, {"father", "man", "woman", "mother"},
            {"brother", "man", "woman", "sister"}, {"son", "man", "woman", "daughter"},
            {"husband", "man", "woman", "wife"}, {"uncle", "man", "woman", "aunt"},
            {"boys", "boy", "girl", "girls"}, {"actor", "man", "woman", "actress"},
            {"prince", "man", "woman", "princess"},
            {"paris", "france", "italy", "rome"}, {"paris", "france", "germany", "berlin"},
            {"paris", "france", "japan", "tokyo"}, {"paris", "france", "russia", "moscow"},
            {"paris", "france", "spain", "madrid"}, {"paris", "france", "china", "beijing"},
            {"paris", "france", "egypt", "cairo"}, {"athens", "greece", "canada", "ottawa"},
            {"french", "france", "germany", "german"}, {"spanish", "spain", "italy", "italian"},
            {"japanese", "japan", "china", "chinese"}, {"english", "england", "france", "french"},
            {"cars", "car", "dog", "dogs"}, {"children", "child", "boy", "boys"},
            {"bigger", "big", "small", "smaller"}, {"better", "good", "bad", "worse"},
            {"larger", "large", "long", "longer"}, {"stronger", "strong", "weak", "weaker"},
            {"biggest", "big", "small", "smallest"}, {"best", "good", "bad", "worst"},
            {"walking", "walk", "swim", "swimming"}, {"went", "go", "come", "came"},
            {"played", "play", "work", "worked"}, {"quickly", "quick", "slow", "slowly"},
            {"he", "his", "her", "she"}, {"girl", "boy", "brother", "sister"},
            {"mother", "father", "son", "daughter"}, {"woman", "man", "he", "she"}};
    /** Analogies whose words are frequent in the novel. */
    static final String[][] NOVEL_ANALOGIES = {
            {"he", "his", "her", "she"}, {"sister", "brother", "father", "mother"},
            {"wife", "husband", "man", "woman"}, {"she", "he", "him", "her"},
            {"daughter", "son", "father", "mother"}, {"lady", "gentleman", "man", "woman"},
            {"her", "his", "himself", "herself"}, {"aunt", "uncle", "father", "mother"}};

    @Override
    public String id() {
        return "word2vec";
    }

    @Override
    public Part part() {
        return Part.LANGUAGE;
    }

    @Override
    public String summary() {
        return "skip-gram with negative sampling on a novel: neighbours; analogies on GloVe (king - man + woman)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("words", "elizabeth,darcy,sister,happy,letter,walk", "words whose neighbours to show"),
                Option.positiveInt("dim", "50", "vector length"),
                Option.positiveInt("window", "5", "largest distance between a word and its context"),
                Option.positiveInt("negatives", "5", "noise words per true pair"),
                Option.positiveInt("epochs", "5", "passes over the novel (--quick: 2)"),
                Option.nonNegativeFloat("subsample", "1e-3", "subsampling threshold t (0: keep every word)"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Result result = new Result();
        WordVectors trained = trainOnTheNovel(ctx, result);
        List<String> chosen = List.of(ctx.option("words").toLowerCase(Locale.ROOT).split(","));
        showNeighbours(ctx, trained, chosen);
        WordVectors glove;
        try (InputStream in = new GZIPInputStream(ctx.openData(GLOVE))) {
            glove = WordVectors.readGlove(in, ctx.dataSource(GLOVE));
        }
        ctx.section("GloVe: " + glove.words().size() + " words x " + glove.dim() + " dimensions");
        ctx.println("nearest to king: " + names(glove.nearest("king", NEIGHBOURS)));
        result.metric("glove_king_queen", glove.analogy("king", "man", "woman").equals("queen") ? 1 : 0);
        result.metric("glove_analogy_accuracy", analogies(ctx, "GloVe", glove, ANALOGIES, true));
        result.metric("glove_analogies", ANALOGIES.length);
        ctx.section("the same questions of the vectors from the novel");
        result.metric("novel_analogy_accuracy", analogies(ctx, "novel", trained, NOVEL_ANALOGIES, true));
        drawGender(ctx, glove);
        ctx.println("pictures: neighbours.png, glove-gender.png in " + ctx.outDir());
        return result;
    }

    private static WordVectors trainOnTheNovel(ChapterContext ctx, Result result) throws java.io.IOException {
        List<String> tokens = new TextAnalyzer(Set.of()).terms(TokenizerBpeChapter.read(ctx, BOOK));
        int epochs = ctx.quick() ? Math.min(2, ctx.intOption("epochs")) : ctx.intOption("epochs");
        SkipGram.Config config = new SkipGram.Config(ctx.intOption("dim"), ctx.intOption("window"),
                ctx.intOption("negatives"), 0.025f, epochs, ctx.floatOption("subsample"), 5);
        SkipGram model = new SkipGram(tokens, config, ctx.rng());
        ctx.section("skip-gram on Pride and Prejudice");
        ctx.printf("%,d words, a vocabulary of %,d (words seen at least 5 times); %d epochs, d = %d, window %d, "
                + "%d noise words%n", tokens.size(), model.vocabulary().size(), epochs, config.dim(), config.window(),
                config.negatives());
        double loss = model.train(tokens, ctx.rng().split(), ctx.progress("skip-gram", (long) epochs
                * tokens.stream().filter(Set.copyOf(model.vocabulary())::contains).count()));
        ctx.printf("mean loss per pair in the last epoch: %.3f (6 ln 2 = %.3f before training)%n", loss,
                6 * Math.log(2));
        result.metric("skipgram_loss", loss);
        result.metric("novel_vocabulary", model.vocabulary().size());
        return model.vectors();
    }

    private static void showNeighbours(ChapterContext ctx, WordVectors vectors, List<String> chosen) {
        ctx.section("nearest neighbours in the novel (cosine similarity)");
        List<String> labels = new ArrayList<>();
        List<float[]> points = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        for (String word : chosen) {
            if (!vectors.contains(word)) {
                ctx.printf("  %-10s (not in the vocabulary)%n", word);
                continue;
            }
            List<WordVectors.Neighbour> near = vectors.nearest(word, NEIGHBOURS);
            ctx.printf("  %-10s %s%n", word, near.stream().map(n -> String.format(Locale.ROOT, "%s %.2f", n.word(),
                    n.similarity())).collect(Collectors.joining(", ")));
            int group = groups.isEmpty() ? 0 : groups.get(groups.size() - 1) + 1;
            labels.add(word.toUpperCase(Locale.ROOT));
            points.add(vectors.vector(word));
            groups.add(group);
            for (WordVectors.Neighbour n : near) {
                labels.add(n.word());
                points.add(vectors.vector(n.word()));
                groups.add(group);
            }
        }
        if (points.size() >= 3) {
            scatter(ctx, "Chosen words (capitals) and their neighbours in the novel, first two principal components",
                    labels, points, groups, List.of(), "neighbours.png");
        }
    }

    /** The fraction of {@code a - b + c = d} answered with d; prints each question. */
    private static double analogies(ChapterContext ctx, String name, WordVectors vectors, String[][] questions,
                                    boolean print) {
        int asked = 0;
        int right = 0;
        for (String[] q : questions) {
            if (!vectors.contains(q[0]) || !vectors.contains(q[1]) || !vectors.contains(q[2])) {
                continue;
            }
            String answer = vectors.analogy(q[0], q[1], q[2]);
            asked++;
            right += answer.equals(q[3]) ? 1 : 0;
            if (print) {
                ctx.printf("  %s - %s + %s = %-10s %s%n", q[0], q[1], q[2], answer,
                        answer.equals(q[3]) ? "right" : "(expected " + q[3] + ")");
            }
        }
        double accuracy = asked == 0 ? 0 : (double) right / asked;
        ctx.printf("%s: %d of %d analogies right, accuracy %.3f%n", name, right, asked, accuracy);
        return accuracy;
    }

    private static void drawGender(ChapterContext ctx, WordVectors glove) {
        String[][] pairs = {{"man", "woman"}, {"king", "queen"}, {"father", "mother"}, {"brother", "sister"},
                {"boy", "girl"}, {"husband", "wife"}};
        List<String> labels = new ArrayList<>();
        List<float[]> points = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        for (String[] p : pairs) {
            for (int i = 0; i < 2; i++) {
                labels.add(p[i]);
                points.add(glove.vector(p[i]));
                groups.add(i);
            }
        }
        scatter(ctx, "Male and female words in GloVe, first two principal components", labels, points,
                groups, List.of("male", "female"), "glove-gender.png");
    }

    /** Projects the vectors on their first two principal components and draws them labelled. */
    private static void scatter(ChapterContext ctx, String title, List<String> labels, List<float[]> points,
                                List<Integer> groups, List<String> classNames, String file) {
        int n = points.size();
        int d = points.get(0).length;
        float[] data = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(points.get(i), 0, data, i * d, d);
        }
        Tensor x = Tensor.wrap(data, n, d);
        Tensor centred = x.sub(x.mean(0, true));                                    // (n, d)
        Tensor z = centred.matmul(Linalg.svd(centred).vt().slice(0, 0, 2).t());    // (n, 2)
        double[] px = new double[n];
        double[] py = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = z.get(i, 0);
            py[i] = z.get(i, 1);
        }
        new ScatterPlot(title, "PC 1", "PC 2")
                .labelledPoints(px, py, groups.stream().mapToInt(Integer::intValue).toArray(), labels)
                .classNames(classNames).save(ctx.outFile(file));
    }

    private static String names(List<WordVectors.Neighbour> neighbours) {
        return neighbours.stream().map(WordVectors.Neighbour::word).collect(Collectors.joining(", "));
    }
}
