package dev.gradbook.examples.language;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.transformer.tokenizer.BpeTokenizer;
import dev.gradbook.transformer.tokenizer.WordPieceTokenizer;
import dev.gradbook.transformer.tokenizer.WordPieceTrainer;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * <h2>tokenizer-bpe: learning a vocabulary of sub-words</h2>
 *
 * <p>A language model reads integers. Characters give a tiny vocabulary but long sequences;
 * whole words give short sequences but a vocabulary that never ends and no way to spell a word
 * never seen. Sub-word tokenizers sit in between: frequent words become one token, rare ones are
 * spelled from pieces.
 *
 * <p><b>Byte-pair encoding</b> (Sennrich, Haddow and Birch 2016, "Neural Machine Translation of
 * Rare Words with Subword Units", section 3.2; byte-level as in GPT-2, Radford et al. 2019,
 * section 2.2) starts from the 256 byte values of UTF-8 and repeats one step: count every adjacent
 * pair of tokens in the corpus and give the most frequent pair a new token,
 * <pre>
 *   (a, b) = argmax count(a b)        new token = a b        vocabulary += 1
 * </pre>
 * Encoding replays the merges in the order they were learned. Since every string is a sequence
 * of bytes and every byte is a token, nothing is ever unknown, and decoding gives back the exact
 * bytes: emoji, accents and Chinese included.
 *
 * <p><b>WordPiece</b> (Schuster and Nakajima 2012; the tokenizer of BERT, Devlin et al. 2019),
 * shown for contrast, merges the pair with the highest {@code count(ab) / (count(a) count(b))}
 * (the merge that most raises the corpus likelihood), marks word-inner pieces with {@code ##},
 * splits words greedily longest-match-first, lower-cases, drops white space, and maps anything it
 * cannot spell to {@code [UNK]}: a lossy round trip.
 *
 * <p>The chapter learns both on Tiny Shakespeare (all but the last 10%, which is kept to measure
 * on), prints BPE's first merges, checks the round trip on text neither has seen, and measures
 * tokens per character on the held-out text against the vocabulary size. Every vocabulary size
 * comes from one training run: a tokenizer with fewer merges is a prefix of the merge list.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The first merges are the commonest pairs of English. The pre-tokenizer keeps a word's
 *       leading space with it, so they are {@code " t"}, {@code "he"}, {@code " a"}, {@code "ou"}
 *       ..., and merge 11 is already the word {@code " the"}; the last ones are whole words
 *       such as {@code " nothing"} and {@code " against"}.</li>
 *   <li>The byte-level round trip is exact on the accents, Chinese and emoji it never saw;
 *       WordPiece gives back lower case with its own spacing, and {@code [UNK]} for seven words it
 *       cannot spell (a word with one unknown character is lost whole).</li>
 *   <li>In the sentence, BPE spends one token on most words ({@code " that"}, {@code " the"});
 *       WordPiece, whose score prefers pairs of rare pieces, still spells {@code th ##a ##t}.</li>
 *   <li>{@code compression.png}: tokens per character of the held-out text fall quickly, then
 *       flatten as the vocabulary grows (default run: BPE 1.000 at 256 tokens, 0.600 at 384,
 *       0.446 at 1,024; WordPiece 0.517 at 1,024, though it drops every space). About 10 s.</li>
 * </ul>
 * With {@code --quick}: 200,000 characters of training text and up to 512 tokens.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --vocab 4096}: does doubling the vocabulary again still pay? Look at the last
 *       merges printed: what kind of tokens is BPE learning by then?</li>
 *   <li>{@code --corpus text/shakespeare_sonnets.txt}: a smaller corpus. How do the first merges
 *       and the compression change?</li>
 *   <li>{@code --text "Ünïcödé 🙂"}: try your own text for the round trip.</li>
 * </ol>
 */
public final class TokenizerBpeChapter implements Chapter {
    private static final int QUICK_CHARACTERS = 200_000;
    private static final int SHOWN_MERGES = 15;

    @Override
    public String id() {
        return "tokenizer-bpe";
    }

    @Override
    public Part part() {
        return Part.LANGUAGE;
    }

    @Override
    public String summary() {
        return "byte-level BPE learned on Shakespeare: merges, exact round trip, compression; WordPiece beside it";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("corpus", "text/tinyshakespeare.txt", "training text under data/"),
                Option.intInRange("vocab", "1024", 256, 65536, "largest vocabulary to learn (256 byte tokens + merges)"),
                Option.positiveInt("min-count", "50", "WordPiece merges only pairs seen at least this often"),
                Option.value("text", "Ça va? Die Straße in 東京 is naïve 🙂 — 3.14!", "unseen text for the round trip"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        String corpus = read(ctx, ctx.option("corpus"));
        if (ctx.quick()) {
            corpus = corpus.substring(0, Math.min(corpus.length(), QUICK_CHARACTERS));
        }
        int cut = (int) (corpus.length() * 0.9);
        String train = corpus.substring(0, cut);
        String heldOut = corpus.substring(cut);
        int maxVocab = ctx.quick() ? Math.min(512, ctx.intOption("vocab")) : ctx.intOption("vocab");
        if (maxVocab < BpeTokenizer.BYTES) {
            throw new IllegalArgumentException("--vocab must be at least " + BpeTokenizer.BYTES + ", got " + maxVocab);
        }
        ctx.printf("corpus %s: %,d characters for training, %,d held out%n", ctx.option("corpus"), train.length(),
                heldOut.length());
        Result result = new Result();
        BpeTokenizer bpe = learnBpe(ctx, train, maxVocab);
        WordPieceTokenizer wordPiece = learnWordPiece(ctx, train, maxVocab, ctx.intOption("min-count"));
        roundTrip(ctx, bpe, wordPiece, ctx.option("text"), result);
        compareSentence(ctx, bpe, wordPiece, "To be, or not to be: that is the question.");
        compression(ctx, bpe, wordPiece, heldOut, maxVocab, result);
        return result;
    }

    private static BpeTokenizer learnBpe(ChapterContext ctx, String train, int vocab) {
        ctx.section("byte-pair encoding: " + (vocab - BpeTokenizer.BYTES) + " merges");
        long start = System.nanoTime();
        BpeTokenizer bpe = BpeTokenizer.train(train, vocab);
        ctx.printf("learned %d merges in %.1f s; the first %d:%n", bpe.merges().size(),
                (System.nanoTime() - start) / 1e9, SHOWN_MERGES);
        for (int k = 0; k < Math.min(SHOWN_MERGES, bpe.merges().size()); k++) {
            BpeTokenizer.Merge m = bpe.merges().get(k);
            ctx.printf("  %3d. %-8s + %-8s -> %s%n", k + 1, show(bpe, m.left()), show(bpe, m.right()),
                    show(bpe, BpeTokenizer.BYTES + k));
        }
        int last = bpe.vocabSize() - 1;
        ctx.printf("  ... the last: %s, %s, %s%n", show(bpe, last - 2), show(bpe, last - 1), show(bpe, last));
        return bpe;
    }

    private static WordPieceTokenizer learnWordPiece(ChapterContext ctx, String train, int vocab, int minCount) {
        ctx.section("WordPiece: " + vocab + " pieces, merging pairs seen at least " + minCount + " times");
        long start = System.nanoTime();
        WordPieceTokenizer wp = WordPieceTrainer.train(train, vocab, minCount);
        List<String> pieces = wp.vocabulary();
        ctx.printf("learned %d pieces in %.1f s; a few of the merged ones: %s%n", pieces.size(),
                (System.nanoTime() - start) / 1e9, pieces.subList(pieces.size() - 8, pieces.size()));
        return wp;
    }

    private static void roundTrip(ChapterContext ctx, BpeTokenizer bpe, WordPieceTokenizer wp, String text,
                                  Result result) {
        ctx.section("round trip on unseen text");
        int[] ids = bpe.encode(text);
        String back = bpe.decode(ids);
        String wpBack = wp.decode(wp.encode(text));
        ctx.printf("text:              %s%n", text);
        ctx.printf("BPE (%d tokens):   %s  -> %s%n", ids.length, back, back.equals(text) ? "identical" : "DIFFERENT");
        ctx.printf("WordPiece:         %s%n", wpBack);
        result.metric("bpe_round_trip_exact", back.equals(text) ? 1 : 0);
        result.metric("wordpiece_round_trip_exact", wpBack.equals(text) ? 1 : 0);
        result.metric("wordpiece_unknowns", count(wp.encode(text), WordPieceTokenizer.UNK));
    }

    private static void compareSentence(ChapterContext ctx, BpeTokenizer bpe, WordPieceTokenizer wp, String text) {
        ctx.section("one sentence, two tokenizers");
        List<String> b = new ArrayList<>();
        for (int id : bpe.encode(text)) {
            b.add(show(bpe, id));
        }
        List<String> w = new ArrayList<>();
        for (int id : wp.encode(text)) {
            w.add(wp.piece(id));
        }
        ctx.println("BPE:       " + String.join(" ", b));
        ctx.println("WordPiece: " + String.join(" ", w));
    }

    /** Tokens per character of the held-out text for vocabularies from 256 up to {@code maxVocab}. */
    private static void compression(ChapterContext ctx, BpeTokenizer bpe, WordPieceTokenizer wp, String heldOut,
                                    int maxVocab, Result result) {
        ctx.section("tokens per character of the held-out text");
        List<Integer> sizes = new ArrayList<>();
        for (int v = BpeTokenizer.BYTES; v * 3 / 2 < maxVocab; v *= 2) {
            sizes.add(v);
            sizes.add(v * 3 / 2);
        }
        sizes.add(maxVocab);
        double[] x = new double[sizes.size()];
        double[] bpeRate = new double[sizes.size()];
        List<Double> wpSizes = new ArrayList<>();
        List<Double> wpRate = new ArrayList<>();
        ctx.table(List.of("vocabulary", "BPE tokens/char", "WordPiece tokens/char"), List.of());
        for (int i = 0; i < sizes.size(); i++) {
            int v = sizes.get(i);
            x[i] = v;
            BpeTokenizer smaller = new BpeTokenizer(bpe.merges().subList(0, Math.min(v - BpeTokenizer.BYTES,
                    bpe.merges().size())));
            bpeRate[i] = (double) smaller.encode(heldOut).length / heldOut.length();
            String wpCell = "-";
            if (v >= wp.vocabSize() || v >= alphabetSize(wp)) {
                WordPieceTokenizer w = new WordPieceTokenizer(wp.vocabulary().subList(0, Math.min(v, wp.vocabSize())));
                double rate = (double) w.encode(heldOut).length / heldOut.length();
                wpSizes.add((double) v);
                wpRate.add(rate);
                wpCell = String.format(java.util.Locale.ROOT, "%.3f", rate);
            }
            ctx.printf("  %10d  %15.3f  %21s%n", v, bpeRate[i], wpCell);
        }
        new LineChart("Tokens per character of held-out Shakespeare", "vocabulary size", "tokens per character")
                .series("byte-level BPE", x, bpeRate)
                .series("WordPiece", wpSizes.stream().mapToDouble(Double::doubleValue).toArray(),
                        wpRate.stream().mapToDouble(Double::doubleValue).toArray())
                .save(ctx.outFile("compression.png"));
        ctx.println("picture: compression.png in " + ctx.outDir());
        result.metric("bpe_tokens_per_char_256", bpeRate[0]);
        result.metric("bpe_tokens_per_char_max_vocab", bpeRate[bpeRate.length - 1]);
        result.metric("wordpiece_tokens_per_char_max_vocab", wpRate.get(wpRate.size() - 1));
    }

    /** The specials and single characters every WordPiece vocabulary prefix needs. */
    private static int alphabetSize(WordPieceTokenizer wp) {
        int n = 0;
        for (String p : wp.vocabulary()) {
            int chars = p.startsWith(WordPieceTokenizer.CONTINUATION) ? p.length() - 2 : p.length();
            if (chars == 1 || p.startsWith("[")) {
                n++;
            }
        }
        return n;
    }

    /** A token's bytes as a quoted string (spaces visible, invalid UTF-8 shown as the replacement char). */
    private static String show(BpeTokenizer bpe, int id) {
        return "\"" + new String(bpe.tokenBytes(id), StandardCharsets.UTF_8).replace("\n", "\\n") + "\"";
    }

    private static int count(int[] ids, int id) {
        int n = 0;
        for (int i : ids) {
            n += i == id ? 1 : 0;
        }
        return n;
    }

    static String read(ChapterContext ctx, String path) throws java.io.IOException {
        try (InputStream in = ctx.openData(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
