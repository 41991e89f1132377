package dev.gradbook.transformer.bert;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.loss.CrossEntropyOptions;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.transformer.ModelFile;
import dev.gradbook.transformer.attention.AttentionMask;
import dev.gradbook.transformer.position.LearnedPositionalEmbedding;
import dev.gradbook.transformer.seq2seq.Encoder;
import dev.gradbook.transformer.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.Map;

/**
 * A BERT-style bidirectional encoder (Devlin et al. 2019) with its two heads:
 * <pre>
 *   h = Encoder(LayerNorm(E_tok[ids] + E_pos[0..T)))                     (B, T, H), every token sees every other
 *   masked LM:       logits = LayerNorm(GELU(h W_d)) E_tokᵀ + b            (B, T, V), the decoder tied to E_tok
 *   classification:  logits = tanh(h[:, 0] W_p) W_c                        (B, classes), from the [CLS] position
 * </pre>
 * Pre-training predicts tokens hidden by {@link MlmMasking} ({@link #mlmLoss}); fine-tuning
 * trains the classifier ({@link #classificationLoss}). The encoder layers are the post-LN layers
 * of Vaswani et al. with GELU. Segment embeddings and next-sentence prediction are left out.
 * Weights start {@code N(0, 0.02^2)}, biases 0. Children: {@code tokenEmbedding},
 * {@code positionEmbedding}, {@code embedNorm}, {@code dropout}, {@code encoder},
 * {@code mlmDense}, {@code mlmNorm}, {@code pooler}, {@code classifier}, and the parameter
 * {@code mlmBias}.
 */
public class BertEncoder extends Module {
    public final BertConfig config;
    private final Embedding tokenEmbedding;
    private final LearnedPositionalEmbedding positionEmbedding;
    private final LayerNorm embedNorm;
    private final Dropout dropout;
    private final Encoder encoder;
    private Layer mlmDense;
    private final LayerNorm mlmNorm;
    private final Tensor mlmBias;
    private Layer pooler;
    private Layer classifier;

    public BertEncoder(BertConfig config, Rng rng) {
        this.config = config;
        int h = config.hidden();
        this.tokenEmbedding = child("tokenEmbedding", new Embedding(config.vocabSize(), h, rng));
        this.positionEmbedding = child("positionEmbedding", new LearnedPositionalEmbedding(config.maxLen(), h, rng));
        this.embedNorm = child("embedNorm", new LayerNorm(h, 1e-12f, true));
        this.dropout = child("dropout", new Dropout(config.dropout(), rng.split()));
        this.encoder = child("encoder", new Encoder(config.nLayer(), h, config.nHead(), 4 * h, GELU::new,
                config.dropout(), rng));
        this.mlmDense = child("mlmDense", new Linear(h, h, rng));
        this.mlmNorm = child("mlmNorm", new LayerNorm(h, 1e-12f, true));
        this.mlmBias = parameter("mlmBias", Tensor.zeros(config.vocabSize()));
        this.pooler = child("pooler", new Linear(h, h, rng));
        this.classifier = child("classifier", new Linear(h, config.numClasses(), rng));
        initBert(rng);
    }

    /** The contextual vectors {@code (B, T, H)} of {@code ids (B, T)}; [PAD] positions are not attended to. */
    public Tensor forward(IntTensor ids) {
        if (ids.dim() != 2) {
            throw new IllegalArgumentException("BertEncoder: ids must be (B, T), got " + Shape.format(ids.shape()));
        }
        int t = ids.size(1);
        if (t > config.maxLen()) {
            throw new IllegalArgumentException("BertEncoder: " + t + " tokens exceed maxLen=" + config.maxLen());
        }
        Tensor x = tokenEmbedding.forward(ids).add(positionEmbedding.forward(t, 0));      // (B, T, H)
        x = dropout.forward(embedNorm.forward(x));
        AttentionMask padding = AttentionMask.padding(ids.ne(config.padId()));  // (B, 1, 1, T)
        return encoder.forward(x, padding);                                                // (B, T, H)
    }

    /** Masked-LM logits {@code (B, T, V)} for every position of {@code ids (B, T)}. */
    public Tensor mlmLogits(IntTensor ids) {
        Tensor h = mlmNorm.forward(mlmDense.forward(forward(ids)).gelu());                 // (B, T, H)
        return h.matmulT(tokenEmbedding.weight).add(mlmBias);                              // (B, T, V)
    }

    /** Masks {@code ids} by BERT's 80/10/10 rule (seeded by {@code rng}) and returns the masked-LM loss. */
    public Tensor mlmLoss(IntTensor ids, Rng rng) {
        return mlmLoss(MlmMasking.of(config).apply(ids, rng));
    }

    /** Mean cross-entropy over the masked positions of an already masked batch. */
    public Tensor mlmLoss(MlmMasking.Masked batch) {
        Tensor logits = mlmLogits(batch.inputs()).reshape(-1, config.vocabSize());          // (B*T, V)
        return Losses.crossEntropy(logits, batch.targets().reshape(-1), CrossEntropyOptions.ignoring(MlmMasking.IGNORE));
    }

    /** Class logits {@code (B, classes)} from the final vector of the [CLS] token at position 0. */
    public Tensor classify(IntTensor ids) {
        Tensor cls = forward(ids).select(1, 0);                                           // (B, H)
        return classifier.forward(dropout.forward(pooler.forward(cls).tanh()));           // (B, classes)
    }

    /** Mean cross-entropy of {@code labels (B)} given {@code ids (B, T)}. */
    public Tensor classificationLoss(IntTensor ids, IntTensor labels) {
        return Losses.crossEntropy(classify(ids), labels);
    }

    /**
     * Saves the weights together with the config, so that {@link #load} rebuilds the model from
     * the file alone (a self-describing {@link ModelFile}).
     */
    public void save(Path file) {
        save(file, null, Map.of());
    }

    /** Saves as {@link #save(Path)}, with the tokenizer (null: none) and the caller's own metadata. */
    public void save(Path file, Tokenizer tokenizer, Map<String, String> metadata) {
        ModelFile.save(file, this, "BertEncoder", config, tokenizer, null, metadata);
    }

    /** The model saved by {@link #save}, its shape read from the file. */
    public static BertEncoder load(Path file) {
        return loadWithTokenizer(file).model();
    }

    /** The model saved by {@link #save}, with its tokenizer (null if none was saved) and the caller's metadata. */
    public static ModelFile.Loaded<BertEncoder> loadWithTokenizer(Path file) {
        return ModelFile.load(file, "BertEncoder", BertConfig.class, c -> new BertEncoder(c, new Rng(0)));
    }

    private void initBert(Rng rng) {
        try (var ignored = Autograd.noGrad()) {
            for (Module m : namedModules().values()) {
                if (m instanceof Linear linear) {
                    linear.weight.copyInPlace(Tensor.normal(rng, 0f, 0.02f, linear.weight.shape()));
                    if (linear.bias != null) {
                        linear.bias.fillInPlace(0f);
                    }
                } else if (m instanceof Embedding e) {
                    e.weight.copyInPlace(Tensor.normal(rng, 0f, 0.02f, e.weight.shape()));
                }
            }
        }
    }

    @Override
    protected void onChildReplaced(String name, Module replacement) {
        switch (name) {
            case "mlmDense" -> mlmDense = (Layer) replacement;
            case "pooler" -> pooler = (Layer) replacement;
            case "classifier" -> classifier = (Layer) replacement;
            default -> super.onChildReplaced(name, replacement);
        }
    }
}
