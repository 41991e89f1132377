package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;

import java.util.List;

/**
 * A small reader that fills the blank of a cloze question ("she could not ___ her sister") with
 * one word, either generated from its own parameters or copied from a passage it is given: a
 * pointer-generator (See, Liu and Manning, "Get To The Point", ACL 2017, section 2.2) reduced to
 * one output word, with one softmax over both choices as in CopyNet (Gu et al., ACL 2016, section 3.2).
 *
 * <p>The question is the W words left and the W words right of the blank (offsets
 * {@code o = -W..-1, 1..W}); every passage position i is seen through the same window around it.
 * With a shared word embedding e and per-role linear maps,
 * <pre>
 *   h     = W_Q [e(q_-W); ...; e(q_W)] + b_Q                                    (B, H)  the question
 *   k_i   = W_K [e(p_i-W); ...; e(p_i+W)] + b_K                                 (B, n, H) position i's context
 *   copy_i = k_i . h / sqrt(H) + sum_o u_o [p_i+o = q_o]   (-inf at padding)    (B, n)
 *   gen_w  = (W_V h + b_V)_w                                                     (B, V)
 *   P(answer = w) = ( sum_{positions i with p_i = w} exp(copy_i) + exp(gen_w) ) / Z
 * </pre>
 * where Z sums the exponentials of all V + n scores. The indicator term is the "exact match"
 * feature of DrQA (Chen et al., "Reading Wikipedia to Answer Open-Domain Questions", ACL 2017,
 * section 3.2): a learned weight u_o per offset for "the passage has the question's word here".
 * The loss is {@code -log P(answer)}. Without a passage (n = 0) only {@code gen} remains: the same
 * model closed book, answering from what its weights remember.
 */
public final class ClozeReader extends Module {
    /**
     * @param vocabulary word ids ({@link WordVocabulary#size()})
     * @param window     W, words taken on each side of the blank and of each passage position
     * @param embedding  width of the word embeddings
     * @param hidden     H, width of the question and context vectors
     * @param exactMatch whether copy scores get the exact-match term (false: embeddings alone must find the spot)
     */
    public record Config(int vocabulary, int window, int embedding, int hidden, boolean exactMatch) {
        public Config {
            if (vocabulary < 2 || window < 1 || embedding < 1 || hidden < 1) {
                throw new IllegalArgumentException("ClozeReader: need vocabulary >= 2 and positive window, embedding and hidden, got "
                        + vocabulary + ", " + window + ", " + embedding + ", " + hidden);
            }
        }
    }

    /**
     * A batch of questions with their passages, as the reader sees them.
     *
     * @param question {@code (B, 2W)} the words around each blank, offsets -W..-1 then 1..W
     * @param context  {@code (B, n, 2W)} the same window around each passage position
     * @param tokens   {@code (B, n)} the passage word at each position ({@link WordVocabulary#PAD} after the end)
     * @param matches  {@code (B, n, 2W)} 1 where the context word equals the question word at that offset
     */
    public record Batch(IntTensor question, IntTensor context, IntTensor tokens, Tensor matches) {
        public int size() {
            return question.size(0);
        }

        public int positions() {
            return tokens.size(1);
        }
    }

    public final Config config;
    public final Embedding words;
    public final Linear questionMap;
    public final Linear contextMap;
    public final Linear generator;
    /** u: one weight per window offset for the exact-match feature. */
    public final Tensor matchWeights;

    public ClozeReader(Config config, Rng rng) {
        this.config = config;
        int in = 2 * config.window() * config.embedding();
        this.words = child("words", new Embedding(config.vocabulary(), config.embedding(), rng.split()));
        this.questionMap = child("questionMap", new Linear(in, config.hidden(), rng.split()));
        this.contextMap = child("contextMap", new Linear(in, config.hidden(), rng.split()));
        this.generator = child("generator", new Linear(config.hidden(), config.vocabulary(), rng.split()));
        this.matchWeights = parameter("matchWeights", Tensor.zeros(2 * config.window()));
    }

    /**
     * Builds a batch: {@code questions.get(b)} holds 2W word ids around blank b, {@code passages.get(b)}
     * the word ids of what the reader may copy from (empty for closed book).
     */
    public Batch batch(List<int[]> questions, List<int[]> passages) {
        int w = config.window();
        if (questions.size() != passages.size() || questions.isEmpty()) {
            throw new IllegalArgumentException("ClozeReader.batch: " + questions.size() + " questions and " + passages.size()
                    + " passages (need the same, non-zero number)");
        }
        int b = questions.size();
        int n = passages.stream().mapToInt(p -> p.length).max().orElse(0);
        int[] q = new int[b * 2 * w];
        int[] ctx = new int[b * n * 2 * w];
        int[] tok = new int[b * n];
        float[] match = new float[ctx.length];
        for (int i = 0; i < b; i++) {
            if (questions.get(i).length != 2 * w) {
                throw new IllegalArgumentException("ClozeReader.batch: question " + i + " has " + questions.get(i).length
                        + " words, need 2W = " + 2 * w);
            }
            System.arraycopy(questions.get(i), 0, q, i * 2 * w, 2 * w);
            int[] p = passages.get(i);
            System.arraycopy(p, 0, tok, i * n, p.length);
            for (int pos = 0; pos < p.length; pos++) {
                for (int o = 0; o < 2 * w; o++) {
                    int at = pos + offset(o, w);
                    int id = at >= 0 && at < p.length ? p[at] : WordVocabulary.PAD;
                    int cell = (i * n + pos) * 2 * w + o;
                    ctx[cell] = id;
                    int want = q[i * 2 * w + o];
                    match[cell] = id == want && id > WordVocabulary.UNKNOWN ? 1f : 0f;
                }
            }
        }
        return new Batch(IntTensor.wrap(q, b, 2 * w), IntTensor.wrap(ctx, b, n, 2 * w), IntTensor.wrap(tok, b, n),
                Tensor.wrap(match, b, n, 2 * w));
    }

    /** Window slot {@code o} (0 .. 2W-1) is offset -W .. -1, then 1 .. W. */
    static int offset(int o, int w) {
        return o < w ? o - w : o - w + 1;
    }

    /** The V generate scores then the n copy scores of each question: {@code (B, V + n)}, padding at -1e9. */
    public Tensor scores(Batch batch) {
        int b = batch.size();
        int n = batch.positions();
        int in = 2 * config.window() * config.embedding();
        Tensor h = questionMap.forward(words.forward(batch.question()).reshape(b, in));          // (B, H)
        Tensor generate = generator.forward(h);                                                  // (B, V)
        if (n == 0) {
            return generate;
        }
        Tensor k = contextMap.forward(words.forward(batch.context()).reshape(b, n, in));         // (B, n, H)
        Tensor copy = k.mul(h.unsqueeze(1)).sum(2).mul((float) (1 / Math.sqrt(config.hidden()))); // (B, n)
        if (config.exactMatch()) {
            copy = copy.add(batch.matches().matmul(matchWeights.unsqueeze(1)).squeeze(2));        // (B, n, 2W) @ (2W, 1)
        }
        copy = copy.maskedFill(batch.tokens().eq(WordVocabulary.PAD), -1e9f);
        return Tensor.cat(List.of(generate, copy), 1);                                           // (B, V + n)
    }

    /** {@code -log P(answer)} averaged over the batch. */
    public Tensor loss(Batch batch, int[] answers) {
        if (answers.length != batch.size()) {
            throw new IllegalArgumentException("ClozeReader.loss: " + answers.length + " answers for " + batch.size() + " questions");
        }
        Tensor s = scores(batch);
        Tensor isAnswer = answerMask(batch, answers);                                  // (B, V + n)
        Tensor logP = s.maskedFill(isAnswer.eq(0f), -1e9f).logsumexp(1, false).sub(s.logsumexp(1, false)); // (B)
        return logP.mean().neg();
    }

    /** 1 at the answer's generate score and at every position holding the answer word. */
    private Tensor answerMask(Batch batch, int[] answers) {
        int v = config.vocabulary();
        int n = batch.positions();
        float[] mask = new float[batch.size() * (v + n)];
        int[] tokens = batch.tokens().data();
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] < 0 || answers[i] >= v) {
                throw new IllegalArgumentException("ClozeReader.loss: answer " + answers[i] + " is not a word id (0.." + (v - 1) + ")");
            }
            mask[i * (v + n) + answers[i]] = 1f;
            for (int pos = 0; pos < n; pos++) {
                if (tokens[i * n + pos] == answers[i]) {
                    mask[i * (v + n) + v + pos] = 1f;
                }
            }
        }
        return Tensor.wrap(mask, batch.size(), v + n);
    }

    /** The most probable word for each blank, adding up a word's generate and copy probabilities. */
    public int[] answer(Batch batch) {
        int v = config.vocabulary();
        int n = batch.positions();
        float[] p;
        try (var noGrad = Autograd.noGrad()) {
            p = scores(batch).softmax(1).data();
        }
        int[] out = new int[batch.size()];
        int[] tokens = batch.tokens().data();
        for (int i = 0; i < out.length; i++) {
            double[] byWord = new double[v];
            for (int w = 0; w < v; w++) {
                byWord[w] = p[i * (v + n) + w];
            }
            for (int pos = 0; pos < n; pos++) {
                byWord[tokens[i * n + pos]] += p[i * (v + n) + v + pos];
            }
            byWord[WordVocabulary.PAD] = Double.NEGATIVE_INFINITY;
            out[i] = TopK.indices(byWord, 1)[0];
        }
        return out;
    }

    @Override
    protected String describe() {
        return config.toString();
    }
}
