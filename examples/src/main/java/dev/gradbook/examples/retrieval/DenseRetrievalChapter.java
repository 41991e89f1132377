package dev.gradbook.examples.retrieval;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.train.ProgressReporter;
import dev.gradbook.transformer.retrieval.Bm25Index;
import dev.gradbook.transformer.retrieval.DualEncoder;
import dev.gradbook.transformer.retrieval.ExactIndex;
import dev.gradbook.transformer.retrieval.IvfIndex;
import dev.gradbook.transformer.retrieval.Neighbours;
import dev.gradbook.transformer.retrieval.RecallAtK;
import dev.gradbook.transformer.retrieval.Similarity;
import dev.gradbook.transformer.retrieval.TextAnalyzer;
import dev.gradbook.transformer.retrieval.VectorIndex;
import dev.gradbook.transformer.retrieval.WordVocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * <h2>dense-retrieval: a dual encoder, exact vector search and an inverted file</h2>
 *
 * <p>BM25 (previous chapter) matches words. A dense retriever maps questions and passages to
 * vectors so that a question lands near its passage, and retrieval becomes nearest-neighbour
 * search (DPR: Karpukhin et al., "Dense Passage Retrieval for Open-Domain Question Answering",
 * EMNLP 2020). Two encoders, {@code E_Q} for questions and {@code E_P} for passages, are trained
 * on (question, passage) pairs with in-batch negatives (section 3.2): in a batch of B pairs each
 * question's B - 1 other passages are its wrong answers, and the loss is InfoNCE,
 * <pre>
 *   L = -1/B sum_i log( exp(cos(E_Q(q_i), E_P(p_i)) / tau) / sum_j exp(cos(E_Q(q_i), E_P(p_j)) / tau) )
 * </pre>
 * Every passage is encoded once; a question costs one encoding plus a search of N vectors.
 * Here each encoder is a bag of words (mean of shared word embeddings, then a linear map per
 * tower; {@code DualEncoder} in {@code transformer.retrieval}), trained on questions drawn fresh
 * every step from the book with the bm25 chapter's generator, one per passage of the batch so
 * that no passage is its own negative. This is how a retriever is adapted to a new corpus with
 * synthetic questions (GPL, Wang et al., NAACL 2022). The test questions are exactly the bm25
 * chapter's and never appear in training.
 *
 * <p>Exact search ({@code ExactIndex}) compares the question with all N passage vectors. An
 * inverted file ({@code IvfIndex}; Jégou, Douze and Schmid, TPAMI 2011, section IV.A) first cuts
 * the vectors into L clusters with k-means and, for a question, scans only the {@code nprobe}
 * clusters whose centroids are most similar to it: about {@code L + nprobe N / L} comparisons
 * instead of N, at the risk of missing a neighbour that sits in an unprobed cluster. With
 * {@code nprobe = L} it is exact search again (the chapter checks that the results are identical).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The recall table. Default run (seed 42, 1,000 steps of 128 pairs, vectors of width 128):
 *       BM25 0.717 / 0.955 / 0.981 at k = 1 / 5 / 10, the dense retriever 0.531 / 0.756 / 0.824.
 *       The questions are bags of the passage's own rare words, the case BM25 is made for; a
 *       128-wide vector must squeeze a thousand passages' vocabularies into a few directions, and
 *       dense retrievers are known to trail BM25 on such lexical, entity-heavy questions (Sciavolino
 *       et al., "Simple Entity-Centric Questions Challenge Dense Retrievers", EMNLP 2021). Dense
 *       retrieval wins on paraphrases, which these generated questions do not have.</li>
 *   <li>The nprobe table and {@code ivf-tradeoff.png}: top-10 overlap with exact search against
 *       speed-up. Default run, 32 lists of 22 to 52 vectors: nprobe 1 compares 6% of the vectors
 *       and finds 18% of exact search's top 10; nprobe 8 compares 28% and finds 66%, 2.8x faster
 *       than exact search (133 us per query, measured under a load of 13 on 2 cores); nprobe 32
 *       finds 100%. The passage vectors are not strongly clustered, so a true neighbour is often
 *       in another list: IVF pays off on millions of clustered vectors, not on a thousand.</li>
 *   <li>The measured speed-up follows the count of vectors compared, less the fixed cost of
 *       scoring the centroids and of keeping the top k.</li>
 * </ul>
 * {@code --quick}: 300 questions, 150 steps of 64 pairs with vectors of width 64: the dense
 * retriever is much weaker (0.09 / 0.19 / 0.26), the IVF table keeps its shape.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --unseen-sentences}: training never uses a sentence a test question comes from.
 *       In a trial at 400 steps, dense recall@1 fell from 0.39 to 0.05 (recall@10 from 0.74 to
 *       0.20) while BM25 does not change: what did the encoder learn, words or sentences?</li>
 *   <li>{@code --lists 8 --nprobe 2} against {@code --lists 128 --nprobe 8}: where is the
 *       trade-off better, and why does {@code L = sqrt(nprobe N)} minimise the comparisons?</li>
 *   <li>{@code --temperature 0.5}: a softer softmax. What happens to recall@1?</li>
 *   <li>{@code --dim 32}: how much does the width of the vectors matter?</li>
 * </ol>
 */
public final class DenseRetrievalChapter implements Chapter {
    private static final int[] KS = {1, 5, 10};
    /** --quick trains a smaller encoder on smaller batches. */
    private static final int QUICK_DIM = 64;
    private static final int QUICK_BATCH = 64;

    @Override
    public String id() {
        return "dense-retrieval";
    }

    @Override
    public Part part() {
        return Part.RETRIEVAL;
    }

    @Override
    public String summary() {
        return "a dual encoder trained with in-batch negatives; exact and IVF vector search against BM25";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("dim", "128", "width of the word embeddings and of the question and passage vectors (64 with --quick)"),
                Option.positiveInt("batch", "128", "pairs per step, each question's negatives the other passages (64 with --quick)"),
                Option.positiveFloat("temperature", "0.05", "tau of the InfoNCE loss"),
                Option.positiveFloat("lr", "1e-2", "AdamW learning rate"),
                Option.flag("unseen-sentences", "train only on sentences no test question comes from"),
                Option.positiveInt("lists", "32", "inverted lists (k-means clusters) of the IVF index"),
                Option.positiveInt("nprobe", "8", "lists the IVF index probes in the recall table"),
                Option.positiveInt("questions", "1000", "test questions (300 with --quick), the same as bm25's"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Book book = Book.load(ctx, Integer.MAX_VALUE);
        int lists = ctx.intOption("lists");
        int nprobe = ctx.intOption("nprobe");
        if (lists > book.passages().size() || nprobe > lists) {
            throw new IllegalArgumentException("dense-retrieval: need nprobe <= lists <= " + book.passages().size()
                    + " (the passages), got --lists " + lists + " --nprobe " + nprobe);
        }
        TextAnalyzer analyzer = new TextAnalyzer(book.stopWords());
        Rng rng = ctx.rng();
        // the same questions as the bm25 chapter (its first use of the seed), then training draws
        Questions test = Questions.generate(book.passages(), analyzer, ctx.quick() ? 300 : ctx.intOption("questions"), rng);
        List<List<String>> passageTerms = book.passages().stream().map(analyzer::terms).toList();
        WordVocabulary vocab = new WordVocabulary(passageTerms, 1);

        DualEncoder encoder = train(ctx, book, analyzer, vocab, passageTerms, test, rng.split());
        Tensor passageVectors = encode(vocab, passageTerms, encoder::encodePassages);
        Tensor questionVectors = encode(vocab, terms(analyzer, test.text()), encoder::encodeQuestions);
        ExactIndex exact = new ExactIndex(passageVectors, Similarity.COSINE);
        IvfIndex ivf = buildIvf(ctx, passageVectors, lists, nprobe, rng.split());

        double[][] recall = recallTable(ctx, book, analyzer, test, exact, ivf, questionVectors);
        List<Sweep> sweep = sweepNprobe(ctx, exact, ivf, questionVectors, test);
        savePictures(ctx, recall, sweep);
        Sweep chosen = sweep.stream().filter(s -> s.nprobe == nprobe).findFirst().orElseThrow();
        Sweep all = sweep.get(sweep.size() - 1);
        return new Result()
                .metric("questions", test.size())
                .metric("bm25_recall_at_1", recall[0][0]).metric("bm25_recall_at_5", recall[0][1])
                .metric("bm25_recall_at_10", recall[0][2])
                .metric("dense_recall_at_1", recall[1][0]).metric("dense_recall_at_5", recall[1][1])
                .metric("dense_recall_at_10", recall[1][2])
                .metric("ivf_recall_at_1", recall[2][0]).metric("ivf_recall_at_5", recall[2][1])
                .metric("ivf_recall_at_10", recall[2][2])
                .metric("ivf_overlap_with_exact", chosen.overlap).metric("ivf_speedup", chosen.speedup)
                .metric("ivf_compared_fraction", chosen.comparedFraction)
                .metric("full_probe_overlap_with_exact", all.overlap);
    }

    /** Trains the dual encoder on fresh (question, passage) pairs, never from a test question's sentence. */
    private static DualEncoder train(ChapterContext ctx, Book book, TextAnalyzer analyzer, WordVocabulary vocab,
                                     List<List<String>> passageTerms, Questions test, Rng rng) {
        int steps = ctx.steps(1_000, 150);
        int batch = Math.min(ctx.quick() ? QUICK_BATCH : ctx.intOption("batch"), book.passages().size());
        int dim = ctx.quick() ? QUICK_DIM : ctx.intOption("dim");
        DualEncoder encoder = new DualEncoder(new DualEncoder.Config(vocab.size(), dim, dim,
                ctx.floatOption("temperature")), rng.split());
        ctx.section("training the dual encoder");
        ctx.printf("%,d words, %,d parameters; %d steps of %d pairs with distinct passages (%d in-batch negatives each)%n",
                vocab.size(), encoder.parameterCount(), steps, batch, batch - 1);
        AdamW opt = new AdamW(encoder.namedParameters(), ctx.floatOption("lr"));
        // test questions never appear in training; with --unseen-sentences, neither do their source sentences
        Set<Long> avoid = ctx.flag("unseen-sentences") ? test.sentenceKeys() : Set.of();
        Set<String> testTexts = Set.copyOf(test.text());
        ProgressReporter progress = ctx.progress("dual encoder", steps);
        for (int step = 0; step < steps; step++) {
            int[] which = java.util.Arrays.copyOf(rng.permutation(book.passages().size()), batch);
            Questions pairs = Questions.about(book.passages(), analyzer, which, rng, avoid).without(testTexts);
            List<List<String>> passages = new ArrayList<>();
            for (int p : pairs.passage()) {
                passages.add(passageTerms.get(p));
            }
            Tensor loss = encoder.loss(vocab.bags(terms(analyzer, pairs.text())), vocab.bags(passages));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            progress.update(step + 1, loss.item(), pairs.size());
        }
        ctx.println(progress.finish());
        return encoder;
    }

    private static List<List<String>> terms(TextAnalyzer analyzer, List<String> texts) {
        return texts.stream().map(analyzer::terms).toList();
    }

    /** Encodes texts in batches of 256 without a graph: {@code (N, dim)}. */
    private static Tensor encode(WordVocabulary vocab, List<List<String>> texts,
                                 java.util.function.Function<WordVocabulary.Bags, Tensor> tower) {
        List<Tensor> parts = new ArrayList<>();
        try (var noGrad = Autograd.noGrad()) {
            for (int from = 0; from < texts.size(); from += 256) {
                parts.add(tower.apply(vocab.bags(texts.subList(from, Math.min(texts.size(), from + 256)))));
            }
        }
        return Tensor.cat(parts, 0);
    }

    private static IvfIndex buildIvf(ChapterContext ctx, Tensor vectors, int lists, int nprobe, Rng rng) {
        ctx.section("the inverted file index");
        long t = System.nanoTime();
        IvfIndex ivf = new IvfIndex(vectors, Similarity.COSINE, lists, 10, nprobe, rng);
        int[] sizes = ivf.listSizes();
        ctx.printf("%,d passage vectors of width %d in %d lists (k-means, 10 rounds, %.0f ms): sizes %d to %d%n",
                ivf.size(), ivf.dim(), lists, (System.nanoTime() - t) / 1e6,
                java.util.Arrays.stream(sizes).min().orElse(0), java.util.Arrays.stream(sizes).max().orElse(0));
        return ivf;
    }

    /** Recall@1/5/10 of BM25, exact dense search and IVF at the chosen nprobe: rows in that order. */
    private static double[][] recallTable(ChapterContext ctx, Book book, TextAnalyzer analyzer, Questions test,
                                          ExactIndex exact, IvfIndex ivf, Tensor questionVectors) {
        ctx.section("recall@k on " + test.size() + " test questions (the bm25 chapter's)");
        Bm25Index bm25 = new Bm25Index(book.passages(), analyzer);
        List<int[]> sparse = Bm25Chapter.rank(bm25, test, Bm25Index.Params.DEFAULT, 10);
        List<int[]> dense = ranked(exact.search(questionVectors, 10));
        List<int[]> approximate = ranked(ivf.search(questionVectors, 10));
        String[] names = {"BM25 (k1 1.2, b 0.75)", "dense, exact search", "dense, IVF nprobe " + ivf.nprobe()};
        List<List<int[]>> all = List.of(sparse, dense, approximate);
        double[][] recall = new double[3][KS.length];
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            List<String> row = new ArrayList<>(List.of(names[r]));
            for (int i = 0; i < KS.length; i++) {
                recall[r][i] = RecallAtK.of(all.get(r), test.passage(), KS[i]);
                row.add(fmt(recall[r][i]));
            }
            rows.add(row);
        }
        ctx.table(List.of("retriever", "recall@1", "recall@5", "recall@10"), rows);
        return recall;
    }

    private static List<int[]> ranked(Neighbours n) {
        List<int[]> out = new ArrayList<>();
        for (int q = 0; q < n.queries(); q++) {
            out.add(n.ids(q));
        }
        return out;
    }

    /** One IVF setting against exact search. */
    record Sweep(int nprobe, double overlap, double goldRecall, double comparedFraction, double speedup) {
    }

    /**
     * For nprobe = 1, 2, 4, ..., lists: the fraction of exact search's top 10 that IVF finds, the
     * vectors compared (as a fraction of N) and the measured speed-up over exact search.
     */
    private static List<Sweep> sweepNprobe(ChapterContext ctx, ExactIndex exact, IvfIndex ivf, Tensor queries, Questions test) {
        ctx.section("IVF against exact search, as nprobe grows (top 10)");
        List<VectorIndex> indices = new ArrayList<>(List.of(exact));
        for (int nprobe = 1; nprobe < ivf.lists(); nprobe *= 2) {
            indices.add(ivf.withNprobe(nprobe));
        }
        indices.add(ivf.withNprobe(ivf.lists()));
        double[] nanos = nanosPerQuery(indices, queries, ctx.quick() ? 3 : 10);
        Neighbours truth = exact.search(queries, 10);
        List<Sweep> out = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < indices.size(); i++) {
            IvfIndex probe = (IvfIndex) indices.get(i);
            Neighbours found = probe.search(queries, 10);
            Sweep s = new Sweep(probe.nprobe(), overlap(found, truth), RecallAtK.of(ranked(found), test.passage(), 10),
                    (double) found.vectorsCompared() / ((long) queries.size(0) * exact.size()), nanos[0] / nanos[i]);
            out.add(s);
            rows.add(List.of(String.valueOf(s.nprobe), fmt(s.overlap), fmt(s.goldRecall), fmt(s.comparedFraction),
                    String.format(Locale.ROOT, "%.1fx", s.speedup)));
        }
        ctx.printf("exact search: %.1f us per query over %,d vectors%n", nanos[0] / 1e3, exact.size());
        ctx.table(List.of("nprobe", "top-10 overlap with exact", "recall@10", "vectors compared / N", "speed-up"), rows);
        return out;
    }

    /** Mean fraction of exact search's top k that {@code found} also returns. */
    static double overlap(Neighbours found, Neighbours truth) {
        double sum = 0;
        for (int q = 0; q < truth.queries(); q++) {
            Set<Integer> want = new java.util.HashSet<>();
            for (int id : truth.ids(q)) {
                want.add(id);
            }
            int hit = 0;
            for (int id : found.ids(q)) {
                hit += want.contains(id) ? 1 : 0;
            }
            sum += (double) hit / want.size();
        }
        return sum / truth.queries();
    }

    /**
     * Nanoseconds per query of each index: the best of {@code rounds} timed passes over all the
     * queries, the indices taking turns in each round so that JIT warm-up and the machine's load
     * fall on all of them alike (after one untimed pass each).
     */
    private static double[] nanosPerQuery(List<VectorIndex> indices, Tensor queries, int rounds) {
        double[] best = new double[indices.size()];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = -1; round < rounds; round++) {
            for (int i = 0; i < indices.size(); i++) {
                long t = System.nanoTime();
                indices.get(i).search(queries, 10);
                if (round >= 0) {
                    best[i] = Math.min(best[i], (double) (System.nanoTime() - t) / queries.size(0));
                }
            }
        }
        return best;
    }

    private static void savePictures(ChapterContext ctx, double[][] recall, List<Sweep> sweep) {
        new BarChart("Recall@k on the generated questions", "k", "recall").categories(List.of("1", "5", "10"))
                .series("BM25", recall[0]).series("dense, exact", recall[1]).series("dense, IVF", recall[2])
                .save(ctx.outFile("recall.png"));
        double[] overlap = sweep.stream().mapToDouble(Sweep::overlap).toArray();
        double[] speedup = sweep.stream().mapToDouble(Sweep::speedup).toArray();
        double[] work = sweep.stream().mapToDouble(s -> 1 / s.comparedFraction).toArray();
        new LineChart("IVF: top-10 overlap with exact search against speed-up, nprobe = 1, 2, 4, ... (right to left)",
                "speed-up over exact search", "fraction of exact top 10 found")
                .series("measured time", speedup, overlap).series("vectors compared (N / compared)", work, overlap)
                .save(ctx.outFile("ivf-tradeoff.png"));
        ctx.println("pictures: recall.png, ivf-tradeoff.png in " + ctx.outDir());
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }
}
