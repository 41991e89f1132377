package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.generative.ContrastiveLoss;

/**
 * A dual encoder for dense retrieval, trained as in DPR (Karpukhin et al., "Dense Passage
 * Retrieval for Open-Domain Question Answering", EMNLP 2020, section 3): one encoder maps a
 * question to a vector, another maps a passage, and relevance is their similarity, so every
 * passage can be encoded once, ahead of time, and put in a {@link VectorIndex}.
 *
 * <p>Each tower here is a bag of words: the mean of the word embeddings (shared by both towers, so
 * a word learned from passages means the same in questions), then the tower's own linear map,
 * <pre>
 *   E_Q(q) = W_Q mean_{w in q} e_w + b_Q        E_P(p) = W_P mean_{w in p} e_w + b_P        (dim)
 *   sim(q, p) = cos(E_Q(q), E_P(p))
 * </pre>
 * Training uses in-batch negatives (section 3.2): for B pairs (q_i, p_i), the other B - 1
 * passages of the batch are q_i's negatives, and the loss is InfoNCE over the B x B similarity
 * matrix with temperature tau (section 3.1, eq. 2, with cosine over tau in place of the raw dot
 * product, as in CLIP), {@link ContrastiveLoss#infoNce}:
 * <pre>
 *   L = -1/B sum_i log( exp(sim(q_i, p_i) / tau) / sum_j exp(sim(q_i, p_j) / tau) )
 * </pre>
 * Search with {@link Similarity#COSINE} over {@link #encodePassages} to rank as the loss did.
 */
public final class DualEncoder extends Module {
    /**
     * @param vocabulary  number of word ids (a {@link WordVocabulary}'s size)
     * @param embedding   width of the shared word embeddings
     * @param dim         width of the question and passage vectors
     * @param temperature tau of the InfoNCE loss (smaller: sharper)
     */
    public record Config(int vocabulary, int embedding, int dim, float temperature) {
        public Config {
            if (vocabulary < 2 || embedding < 1 || dim < 1) {
                throw new IllegalArgumentException("DualEncoder: need vocabulary >= 2 and positive sizes, got " + vocabulary
                        + ", " + embedding + ", " + dim);
            }
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("DualEncoder: temperature must be positive, got " + temperature);
            }
        }
    }

    public final Config config;
    public final Embedding words;
    public final Linear questionHead;
    public final Linear passageHead;

    public DualEncoder(Config config, Rng rng) {
        this.config = config;
        this.words = child("words", new Embedding(config.vocabulary(), config.embedding(), rng.split()));
        this.questionHead = child("questionHead", new Linear(config.embedding(), config.dim(), rng.split()));
        this.passageHead = child("passageHead", new Linear(config.embedding(), config.dim(), rng.split()));
        // both towers start equal, as DPR's both start from one BERT checkpoint: then sim(q, p) is
        // high from the first step for a question and a passage sharing words, and training refines it
        try (var noGrad = Autograd.noGrad()) {
            passageHead.weight.copyInPlace(questionHead.weight);
            passageHead.bias.copyInPlace(questionHead.bias);
        }
    }

    /** {@code E_Q}: {@code (B, L)} bags -> {@code (B, dim)}. */
    public Tensor encodeQuestions(WordVocabulary.Bags questions) {
        return questionHead.forward(meanPool(words.forward(questions.ids()), questions.mask()));
    }

    /** {@code E_P}: {@code (B, L)} bags -> {@code (B, dim)}. */
    public Tensor encodePassages(WordVocabulary.Bags passages) {
        return passageHead.forward(meanPool(words.forward(passages.ids()), passages.mask()));
    }

    /** The in-batch-negatives loss of B aligned pairs: question i goes with passage i. */
    public Tensor loss(WordVocabulary.Bags questions, WordVocabulary.Bags passages) {
        if (questions.size() != passages.size()) {
            throw new IllegalArgumentException("DualEncoder.loss: " + questions.size() + " questions for "
                    + passages.size() + " passages (need aligned pairs)");
        }
        return ContrastiveLoss.infoNce(encodeQuestions(questions), encodePassages(passages), config.temperature());
    }

    /**
     * The mean over the real words: {@code sum_l mask_bl e_bl / sum_l mask_bl}, embedded
     * {@code (B, L, e)} and mask {@code (B, L)} -> {@code (B, e)}; an empty bag gives zeros.
     */
    static Tensor meanPool(Tensor embedded, Tensor mask) {
        Tensor m = mask.unsqueeze(2);                                   // (B, L, 1)
        Tensor sum = embedded.mul(m).sum(1);                            // (B, e)
        return sum.div(mask.sum(1, true).clamp(1f, Float.MAX_VALUE));  // (B, e) / (B, 1)
    }

    @Override
    protected String describe() {
        return config.toString();
    }
}
