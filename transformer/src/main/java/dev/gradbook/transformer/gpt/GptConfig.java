package dev.gradbook.transformer.gpt;

/**
 * The shape of a {@link Gpt}, with named presets (after nanoGPT's {@code GPTConfig}). Start from
 * a preset and change what differs, e.g. {@code GptConfig.tiny(vocab).withBlockSize(32).withNLayer(2)}:
 * every component has a {@code with...} method, so no call site depends on the order of the
 * record's components. Each step is validated, so when both change, set {@code nEmbd} before an
 * {@code nHead} that does not divide the old width.
 *
 * @param vocabSize number of token ids; the head predicts one logit per id
 * @param blockSize the context length: the most positions the model attends over at once (a
 *                  learned position table has exactly this many rows)
 * @param nLayer    transformer blocks stacked
 * @param nHead     attention heads per block; {@code nEmbd} must be divisible by it
 * @param nEmbd     channels per position ({@code d_model}); the MLP is {@code 4 * nEmbd} wide
 * @param dropout   probability for every dropout (embeddings, attention weights, residuals); 0 for
 *                  short runs and fine-tuning, 0.1-0.2 when a small dataset starts to overfit
 * @param bias      biases in the Linear layers (GPT-2: true; LayerNorms always have one)
 * @param tiedHead  the output head reuses the token embedding matrix (GPT-2: true; Press and Wolf
 *                  2017): fewer parameters, and the rare tokens' rows get gradient from both ends
 * @param rotary    rotary position embedding (RoPE) in attention instead of a learned position
 *                  table (GPT-2: false; LLaMA-style models: true)
 * @param slidingWindow 0 for full causal attention; {@code w > 0}: each position attends only to
 *                  the last {@code w} positions, itself included (Beltagy et al. 2020, Longformer;
 *                  Mistral 7B), so a KV cache needs to keep only {@code w} of them
 *                  ({@link Gpt#newKvCache})
 * @param ropeScale position interpolation factor {@code s >= 1} (Chen et al. 2023): RoPE rotates
 *                  position {@code m} by the angles of {@code m / s}, so a model trained on
 *                  {@code L} positions sees {@code s L} positions inside the range it knows. 1 for
 *                  none; needs {@code rotary}
 * @param ropeBase  RoPE's base {@code b} in {@code theta_i = b^(-2i/hs)} (Su et al.: 10000).
 *                  "NTK-aware" context extension raises it instead of scaling the positions
 *                  ({@link dev.gradbook.transformer.position.RotaryEmbedding#ntkAwareBase}); needs
 *                  {@code rotary} when not 10000
 */
public record GptConfig(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, float dropout,
                        boolean bias, boolean tiedHead, boolean rotary, int slidingWindow, float ropeScale,
                        double ropeBase) {

    /** RoPE's base in Su et al. (2021) and in GPT-NeoX, LLaMA 1 and 2. */
    public static final double DEFAULT_ROPE_BASE = 10000;

    /**
     * The values of the components added after model files were first written
     * ({@code slidingWindow}, {@code ropeScale}, {@code ropeBase}): a file whose stored config lacks
     * one reads it as this, the value every model had before it existed.
     */
    public static final java.util.Map<String, Object> ADDED_LATER = java.util.Map.of(
            "slidingWindow", 0, "ropeScale", 1f, "ropeBase", DEFAULT_ROPE_BASE);

    public GptConfig {
        if (vocabSize <= 0 || blockSize <= 0 || nLayer <= 0 || nHead <= 0 || nEmbd <= 0) {
            throw new IllegalArgumentException("GptConfig: sizes must be positive, got vocabSize=" + vocabSize
                    + ", blockSize=" + blockSize + ", nLayer=" + nLayer + ", nHead=" + nHead + ", nEmbd=" + nEmbd);
        }
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("GptConfig: nEmbd=" + nEmbd + " is not divisible by nHead=" + nHead);
        }
        if (rotary && (nEmbd / nHead) % 2 != 0) {
            throw new IllegalArgumentException("GptConfig: rotary embeddings need an even head size, got "
                    + nEmbd / nHead);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("GptConfig: dropout must be in [0, 1), got " + dropout);
        }
        if (slidingWindow < 0) {
            throw new IllegalArgumentException("GptConfig: slidingWindow must be 0 (full attention) or positive, got "
                    + slidingWindow);
        }
        if (!(ropeScale >= 1 && ropeScale < Float.POSITIVE_INFINITY)
                || !(ropeBase > 1 && ropeBase < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("GptConfig: needs a finite ropeScale >= 1 and ropeBase > 1, got ropeScale="
                    + ropeScale + ", ropeBase=" + ropeBase);
        }
        if (!rotary && (ropeScale != 1 || ropeBase != DEFAULT_ROPE_BASE)) {
            throw new IllegalArgumentException("GptConfig: ropeScale=" + ropeScale + " and ropeBase=" + ropeBase
                    + " need rotary=true (a learned position table has nothing to scale)");
        }
    }

    /** A model with full causal attention and plain RoPE (when {@code rotary}): the first nine components. */
    public GptConfig(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, float dropout, boolean bias,
                     boolean tiedHead, boolean rotary) {
        this(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedHead, rotary, 0, 1f, DEFAULT_ROPE_BASE);
    }

    /** 2 layers, 2 heads, 32 channels, 16 positions: for tests, trains in seconds. */
    public static GptConfig tiny(int vocabSize) {
        return new GptConfig(vocabSize, 16, 2, 2, 32, 0f, true, true, false);
    }

    /**
     * The {@code gpt} chapter's model: character-level Shakespeare on two CPU cores in about a
     * minute. 4 layers, 4 heads, 128 channels, 64 positions, about 0.8 M parameters (with a
     * 65-character vocabulary).
     */
    public static GptConfig shakespeareChar(int vocabSize) {
        return new GptConfig(vocabSize, 64, 4, 4, 128, 0f, true, true, false);
    }

    /** nanoGPT's "baby GPT" for Shakespeare: 6 layers, 6 heads, 384 channels, 256 positions (~10 M parameters). */
    public static GptConfig small(int vocabSize) {
        return new GptConfig(vocabSize, 256, 6, 6, 384, 0.2f, true, true, false);
    }

    /** The shape of GPT-2 small (124 M parameters): far too big to train here, but good to count. */
    public static GptConfig gpt2() {
        return new GptConfig(50257, 1024, 12, 12, 768, 0f, true, true, false);
    }

    /** The same model with another vocabulary size. */
    public GptConfig withVocabSize(int n) {
        return new GptConfig(n, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedHead, rotary,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model with another context length. */
    public GptConfig withBlockSize(int n) {
        return new GptConfig(vocabSize, n, nLayer, nHead, nEmbd, dropout, bias, tiedHead, rotary,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model with another number of blocks. */
    public GptConfig withNLayer(int n) {
        return new GptConfig(vocabSize, blockSize, n, nHead, nEmbd, dropout, bias, tiedHead, rotary,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model with another number of heads ({@code nEmbd} must stay divisible by it). */
    public GptConfig withNHead(int n) {
        return new GptConfig(vocabSize, blockSize, nLayer, n, nEmbd, dropout, bias, tiedHead, rotary,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model with another width ({@code d_model}; divisible by {@code nHead}). */
    public GptConfig withNEmbd(int n) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, n, dropout, bias, tiedHead, rotary,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model with another dropout. */
    public GptConfig withDropout(float p) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, p, bias, tiedHead, rotary,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model with or without biases in its Linear layers. */
    public GptConfig withBias(boolean on) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, on, tiedHead, rotary,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model with an untied head (its own {@code (vocab, nEmbd)} matrix) or a tied one. */
    public GptConfig withTiedHead(boolean on) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, on, rotary,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model with rotary position embeddings instead of a learned table (or back). */
    public GptConfig withRotary(boolean on) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedHead, on,
                slidingWindow, ropeScale, ropeBase);
    }

    /** The same model attending to the last {@code w} positions only (0: all earlier positions). */
    public GptConfig withSlidingWindow(int w) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedHead, rotary, w, ropeScale,
                ropeBase);
    }

    /** The same model with RoPE positions divided by {@code s} (position interpolation; 1 for none). */
    public GptConfig withRopeScale(float s) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedHead, rotary,
                slidingWindow, s, ropeBase);
    }

    /** The same model with another RoPE base ({@value #DEFAULT_ROPE_BASE} by default). */
    public GptConfig withRopeBase(double base) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedHead, rotary,
                slidingWindow, ropeScale, base);
    }

    /** Channels per head. */
    public int headSize() {
        return nEmbd / nHead;
    }
}
