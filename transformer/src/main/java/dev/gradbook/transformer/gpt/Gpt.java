package dev.gradbook.transformer.gpt;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.Sequential;
import dev.gradbook.nn.loss.CrossEntropyOptions;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.Optimizer;
import dev.gradbook.transformer.ModelFile;
import dev.gradbook.transformer.attention.KvCache;
import dev.gradbook.transformer.position.LearnedPositionalEmbedding;
import dev.gradbook.transformer.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer language model in the shape of GPT-2 (Radford et al. 2019), as in
 * nanoGPT:
 * <pre>
 *   x = wte[ids] + wpe[0..T)                   token and position embeddings   (B, T, C)
 *   x = Block_1(...Block_n(x))                 pre-LN causal attention + MLP   (B, T, C)
 *   logits = lnF(x) Wᵀ                          one score per vocabulary entry  (B, T, V)
 * </pre>
 * where W is the head's matrix, or the token embedding itself when the head is tied. Trained to
 * predict token {@code t + 1} from tokens {@code 0..t} at every position at once
 * ({@link #loss}); generates text one token at a time ({@link #generate}).
 *
 * <p>Initialisation follows GPT-2: every Linear and embedding weight {@code N(0, 0.02^2)}, biases
 * 0, and the two projections that write into the residual stream ({@code attn.proj},
 * {@code mlp.proj}) scaled down by {@code 1 / sqrt(2 nLayer)}, so that the sum of {@code 2 nLayer}
 * residual contributions keeps roughly unit variance (Radford et al. 2019, section 2.3).
 *
 * <p>Children: {@code wte}, {@code wpe} (absent with RoPE), {@code drop}, {@code blocks}
 * ({@code blocks.0}, ...), {@code lnF}, {@code head} (absent when tied). Shape legend: B batch,
 * T positions, C channels, V vocabulary.
 */
public class Gpt extends Module {
    private static final String KIND = "Gpt";
    public final GptConfig config;
    private final Embedding wte;
    private final LearnedPositionalEmbedding wpe;
    private final Dropout drop;
    private final List<Block> blocks = new ArrayList<>();
    private Layer lnF;
    private Layer head;

    public Gpt(GptConfig config, Rng rng) {
        this.config = config;
        int c = config.nEmbd();
        this.wte = child("wte", new Embedding(config.vocabSize(), c, rng));
        this.wpe = config.rotary() ? null : child("wpe", new LearnedPositionalEmbedding(config.blockSize(), c, rng));
        this.drop = child("drop", new Dropout(config.dropout(), rng.split()));
        for (int i = 0; i < config.nLayer(); i++) {
            blocks.add(new Block(config, rng));
        }
        child("blocks", new Sequential(blocks));
        this.lnF = child("lnF", new LayerNorm(c));
        this.head = config.tiedHead() ? null : child("head", new Linear(c, config.vocabSize(), false, rng));
        initGpt2(rng);
    }

    /** {@code ids (B, T)}, {@code T <= blockSize}; returns the logits {@code (B, T, V)}. */
    public Tensor forward(IntTensor ids) {
        return forward(ids, null);
    }

    /**
     * The logits {@code (B, T, V)} of new positions {@code ids (B, T)} that follow the positions
     * already in {@code cache} (null: none); their keys and values are added to the cache.
     */
    public Tensor forward(IntTensor ids, KvCache cache) {
        int past = cache == null ? 0 : cache.length();
        if (ids.dim() != 2) {
            throw new IllegalArgumentException("Gpt: token ids must be (B, T), got " + Shape.format(ids.shape()));
        }
        int t = ids.size(1);
        if (past + t > config.blockSize()) {
            throw new IllegalArgumentException("Gpt: " + (past + t) + " positions (" + past + " cached + " + t
                    + " new) exceed the context length blockSize=" + config.blockSize());
        }
        Tensor x = wte.forward(ids);                                           // (B, T, C)
        if (wpe != null) {
            x = x.add(wpe.forward(t, past));                                   // (B, T, C) + (T, C)
        }
        x = drop.forward(x);
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(x, cache == null ? null : cache.layer(i));  // (B, T, C)
        }
        x = lnF.forward(x);                                                    // (B, T, C)
        return head == null ? x.matmulT(wte.weight) : head.forward(x);         // (B, T, V)
    }

    /**
     * An empty cache for {@link #forward(IntTensor, KvCache)}: one that keeps every position, or
     * with a sliding window only the last {@code slidingWindow} ({@link KvCache#rolling}), so that
     * its memory stays constant however long the sequence grows.
     */
    public KvCache newKvCache() {
        int w = config.slidingWindow();
        return w == 0 ? new KvCache(config.nLayer()) : KvCache.rolling(config.nLayer(), w);
    }

    /**
     * The mean cross-entropy of predicting {@code targets (B, T)} from {@code ids (B, T)}: usually
     * {@code targets[b, t] = ids[b, t + 1]}, the next token. Targets equal to -100 are ignored.
     */
    public Tensor loss(IntTensor ids, IntTensor targets) {
        if (!java.util.Arrays.equals(targets.shape(), ids.shape())) {
            throw new IllegalArgumentException("Gpt.loss: targets " + Shape.format(targets.shape())
                    + " must have the shape of the ids " + Shape.format(ids.shape()));
        }
        Tensor logits = forward(ids);                                          // (B, T, V)
        Tensor rows = logits.reshape(-1, config.vocabSize());                  // (B*T, V)
        IntTensor flat = targets.reshape(-1);                                  // (B*T)
        return Losses.crossEntropy(rows, flat, CrossEntropyOptions.ignoring(-100));
    }

    /**
     * Continues {@code prompt} (at least one token) and returns the prompt followed by the new
     * tokens. Runs in eval mode without recording gradients (the mode is restored afterwards).
     * Prompts longer than the context are cut to their last {@code blockSize} tokens, as is the
     * context at every step.
     */
    public int[] generate(int[] prompt, GenerationConfig generation, Rng rng) {
        return new Generator(this, generation, rng).run(prompt);
    }

    /** The blocks, in order. */
    public List<Block> blocks() {
        return java.util.Collections.unmodifiableList(blocks);
    }

    /** The token embedding, {@code wte.weight (V, C)} (also the head's matrix when tied). */
    public Embedding tokenEmbedding() {
        return wte;
    }

    /**
     * Saves the weights together with the config, so that {@link #load} rebuilds the model from
     * the file alone (a self-describing {@link ModelFile}).
     */
    public void save(Path file) {
        save(file, null, null, Map.of());
    }

    /** Saves as {@link #save(Path)}, with the tokenizer (null: none) and the caller's own metadata. */
    public void save(Path file, Tokenizer tokenizer, Map<String, String> metadata) {
        save(file, tokenizer, null, metadata);
    }

    /** Saves as {@link #save(Path)}, with a tokenizer and an optimizer's state (either may be null) and metadata. */
    public void save(Path file, Tokenizer tokenizer, Optimizer optimizer, Map<String, String> metadata) {
        ModelFile.save(file, this, KIND, config, tokenizer, optimizer, metadata);
    }

    /** The model saved by {@link #save}, its shape read from the file. */
    public static Gpt load(Path file) {
        return loadWithTokenizer(file).model();
    }

    /** The model saved by {@link #save}, with its tokenizer (null if none was saved) and the caller's metadata. */
    public static ModelFile.Loaded<Gpt> loadWithTokenizer(Path file) {
        return ModelFile.load(file, KIND, GptConfig.class, GptConfig.ADDED_LATER, c -> new Gpt(c, new Rng(0)));
    }

    private void initGpt2(Rng rng) {
        float residualStd = (float) (0.02 / Math.sqrt(2.0 * config.nLayer()));
        try (var ignored = Autograd.noGrad()) {
            namedModules().forEach((name, m) -> {
                if (m instanceof Linear linear) {
                    boolean residual = name.endsWith("attn.proj") || name.endsWith("mlp.proj");
                    linear.weight.copyInPlace(Tensor.normal(rng, 0f, residual ? residualStd : 0.02f,
                            linear.weight.shape()));
                    if (linear.bias != null) {
                        linear.bias.fillInPlace(0f);
                    }
                } else if (m instanceof Embedding e) {
                    e.weight.copyInPlace(Tensor.normal(rng, 0f, 0.02f, e.weight.shape()));
                }
            });
        }
    }

    @Override
    protected void onChildReplaced(String name, Module replacement) {
        switch (name) {
            case "head" -> head = (Layer) replacement;
            case "lnF" -> lnF = (Layer) replacement;
            default -> super.onChildReplaced(name, replacement);
        }
    }

    @Override
    protected String describe() {
        return "vocab=" + config.vocabSize() + ", blockSize=" + config.blockSize() + ", nLayer=" + config.nLayer()
                + ", nHead=" + config.nHead() + ", nEmbd=" + config.nEmbd();
    }
}
