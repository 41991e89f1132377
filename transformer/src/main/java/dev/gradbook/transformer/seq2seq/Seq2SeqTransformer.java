package dev.gradbook.transformer.seq2seq;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.loss.CrossEntropyOptions;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.transformer.ModelFile;
import dev.gradbook.transformer.attention.AttentionMask;
import dev.gradbook.transformer.position.SinusoidalPositionalEncoding;
import dev.gradbook.transformer.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The encoder-decoder transformer of Vaswani et al. (2017), figure 1: the encoder reads the whole
 * source at once; the decoder writes the target one token at a time, attending causally to what
 * it has written and, through cross-attention, to the encoder's output ("memory").
 * <pre>
 *   memory = Encoder(Emb_src(src) * sqrt(dModel) + PE)                    (B, S, C)
 *   logits = Decoder(Emb_tgt(tgtIn) * sqrt(dModel) + PE, memory) W_out    (B, T, V)
 * </pre>
 * Training uses teacher forcing: the decoder input is the true target shifted right
 * ({@code BOS y_1 ... y_(n-1)}) and every position predicts the next true token ({@link #loss}).
 * Inference feeds back its own predictions ({@link #greedyDecode}). Weights with two or more
 * dimensions start Xavier-uniform, as in the Annotated Transformer and PyTorch's
 * {@code nn.Transformer}. Children: {@code srcEmbed}, {@code tgtEmbed}, {@code positions},
 * {@code dropout}, {@code encoder}, {@code decoder}, {@code head}.
 */
public class Seq2SeqTransformer extends Module {
    public final Seq2SeqConfig config;
    private final Embedding srcEmbed;
    private final Embedding tgtEmbed;
    private final SinusoidalPositionalEncoding positions;
    private final Dropout dropout;
    private final Encoder encoder;
    private final Decoder decoder;
    private Layer head;

    public Seq2SeqTransformer(Seq2SeqConfig config, Rng rng) {
        this.config = config;
        int d = config.dModel();
        this.srcEmbed = child("srcEmbed", new Embedding(config.srcVocab(), d, rng));
        this.tgtEmbed = child("tgtEmbed", new Embedding(config.tgtVocab(), d, rng));
        this.positions = child("positions", new SinusoidalPositionalEncoding(config.maxLen(), d));
        this.dropout = child("dropout", new Dropout(config.dropout(), rng.split()));
        this.encoder = child("encoder", new Encoder(config.encoderLayers(), d, config.nHead(), config.dFF(), ReLU::new,
                config.dropout(), rng));
        this.decoder = child("decoder", new Decoder(config.decoderLayers(), d, config.nHead(), config.dFF(), ReLU::new,
                config.dropout(), rng));
        this.head = child("head", new Linear(d, config.tgtVocab(), rng));
        try (var ignored = Autograd.noGrad()) {
            for (Tensor p : parameters()) {
                if (p.dim() >= 2) {
                    p.copyInPlace(Init.xavierUniform(rng, 1f, p.shape()));
                }
            }
        }
    }

    /** {@code src (B, S)} -> memory {@code (B, S, C)}. */
    public Tensor encode(IntTensor src) {
        return encoder.forward(embed(srcEmbed, src), sourceMask(src));
    }

    /** Logits {@code (B, T, V)} for the decoder input {@code tgtIn (B, T)} given the encoded source. */
    public Tensor decode(IntTensor tgtIn, Tensor memory, IntTensor src) {
        int t = tgtIn.size(1);
        AttentionMask selfMask = AttentionMask.causal(t).and(AttentionMask.padding(tgtIn.ne(config.padId())));  // (B, 1, T, T)
        Tensor y = decoder.forward(embed(tgtEmbed, tgtIn), memory, selfMask, sourceMask(src));        // (B, T, C)
        return head.forward(y);                                                                        // (B, T, V)
    }

    /** Teacher forcing: logits {@code (B, T, V)} for {@code tgtIn (B, T)} given {@code src (B, S)}. */
    public Tensor forward(IntTensor src, IntTensor tgtIn) {
        return decode(tgtIn, encode(src), src);
    }

    /** Mean cross-entropy of predicting {@code tgtOut (B, T)} (padding ignored) from {@code src} and {@code tgtIn}. */
    public Tensor loss(IntTensor src, IntTensor tgtIn, IntTensor tgtOut) {
        if (!Arrays.equals(tgtIn.shape(), tgtOut.shape())) {
            throw new IllegalArgumentException("Seq2SeqTransformer.loss: tgtIn " + Shape.format(tgtIn.shape())
                    + " and tgtOut " + Shape.format(tgtOut.shape()) + " differ");
        }
        Tensor logits = forward(src, tgtIn).reshape(-1, config.tgtVocab());                           // (B*T, V)
        return Losses.crossEntropy(logits, tgtOut.reshape(-1), CrossEntropyOptions.ignoring(config.padId()));
    }

    /**
     * Greedy autoregressive decoding of one source sequence: start from {@code bos}, append the
     * most likely next token until {@code eos} or {@code maxLen} tokens. Returns the tokens after
     * {@code bos}, without {@code eos}. The source is encoded once; each step reruns the decoder.
     */
    public int[] greedyDecode(int[] src, int bos, int eos, int maxLen) {
        boolean wasTraining = isTraining();
        eval();
        try (var ignored = Autograd.noGrad()) {
            IntTensor source = IntTensor.of(src, 1, src.length);
            Tensor memory = encode(source);
            int[] out = new int[maxLen + 1];
            out[0] = bos;
            int n = 1;
            while (n <= maxLen) {
                Tensor logits = decode(IntTensor.of(Arrays.copyOf(out, n), 1, n), memory, source);                                  // (1, n, V)
                Tensor last = logits.select(1, n - 1).reshape(-1);                                     // (V)
                int next = last.argmax();
                if (next == eos) {
                    break;
                }
                out[n++] = next;
            }
            return Arrays.copyOfRange(out, 1, n);
        } finally {
            if (wasTraining) {
                train();
            }
        }
    }

    /** Token embeddings times sqrt(dModel) (section 3.4), plus positions, then dropout. */
    private Tensor embed(Embedding table, IntTensor ids) {
        if (ids.dim() != 2 || ids.size(1) > config.maxLen()) {
            throw new IllegalArgumentException("Seq2SeqTransformer: ids must be (B, T) with T <= maxLen="
                    + config.maxLen() + ", got " + Shape.format(ids.shape()));
        }
        Tensor x = table.forward(ids).mul((float) Math.sqrt(config.dModel()));                        // (B, T, C)
        return dropout.forward(positions.forward(x));
    }

    private AttentionMask sourceMask(IntTensor src) {
        return AttentionMask.padding(src.ne(config.padId()));                                          // (B, 1, 1, S)
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
        ModelFile.save(file, this, "Seq2SeqTransformer", config, tokenizer, null, metadata);
    }

    /** The model saved by {@link #save}, its shape read from the file. */
    public static Seq2SeqTransformer load(Path file) {
        return loadWithTokenizer(file).model();
    }

    /** The model saved by {@link #save}, with its tokenizer (null if none was saved) and the caller's metadata. */
    public static ModelFile.Loaded<Seq2SeqTransformer> loadWithTokenizer(Path file) {
        return ModelFile.load(file, "Seq2SeqTransformer", Seq2SeqConfig.class, c -> new Seq2SeqTransformer(c, new Rng(0)));
    }

    @Override
    protected void onChildReplaced(String name, Module replacement) {
        if (name.equals("head")) {
            head = (Layer) replacement;
        } else {
            super.onChildReplaced(name, replacement);
        }
    }
}
