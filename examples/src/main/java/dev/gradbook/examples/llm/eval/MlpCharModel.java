package dev.gradbook.examples.llm.eval;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.loss.Losses;

/**
 * Bengio et al.'s (2003) neural language model at character level: the previous {@code context}
 * characters are embedded, concatenated and passed through one tanh hidden layer to next-character
 * logits.
 * <pre>  logits = W_2 tanh(W_1 [e(x_{t-c}); ..; e(x_{t-1})] + b_1) + b_2</pre>
 */
public final class MlpCharModel extends Module implements CharModel {
    private static final int EMBED = 16;
    public final int context;
    private final Embedding embed;
    private final Linear hidden;
    private final Linear out;

    public MlpCharModel(int vocab, int context, int width, Rng rng) {
        this.context = context;
        this.embed = child("embed", new Embedding(vocab, EMBED, rng));
        this.hidden = child("hidden", new Linear(EMBED * context, width, rng));
        this.out = child("out", new Linear(width, vocab, rng));
    }

    /** Logits (B, vocab) for the character after each row of {@code ids} (B, context). */
    public Tensor forward(IntTensor ids) {
        int b = ids.size(0);
        Tensor e = embed.forward(ids).reshape(b, EMBED * context);   // (B, c*E)
        return out.forward(hidden.forward(e).tanh());                // (B, vocab)
    }

    public Tensor loss(IntTensor ids, IntTensor next) {
        return Losses.crossEntropy(forward(ids), next);
    }

    /** The {@code context} characters before each position (B, context). */
    public IntTensor windows(int[] text, int[] positions) {
        int[] ids = new int[positions.length * context];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(text, positions[i] - context, ids, i * context, context);
        }
        return IntTensor.of(ids, positions.length, context);
    }

    @Override
    public String name() {
        return "neural (" + context + " characters)";
    }

    @Override
    public double[][] nextCharProbabilities(int[] text, int[] positions) {
        try (var ignored = Autograd.noGrad()) {
            Tensor p = forward(windows(text, positions)).softmax(-1);   // (B, vocab)
            int v = p.size(1);
            double[][] out = new double[positions.length][v];
            for (int i = 0; i < positions.length; i++) {
                for (int c = 0; c < v; c++) {
                    out[i][c] = p.data()[i * v + c];
                }
            }
            return out;
        }
    }
}
