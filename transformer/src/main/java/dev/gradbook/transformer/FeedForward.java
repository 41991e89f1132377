package dev.gradbook.transformer;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;

/**
 * The position-wise feed-forward network of a transformer block (Vaswani et al. 2017, section
 * 3.3, equation 2), applied to every position separately and identically:
 * <pre>
 *   FFN(x) = act(x W_1 + b_1) W_2 + b_2
 * </pre>
 * The hidden layer is wider than the model ({@code 4 * dModel} in the paper and in GPT). The
 * original uses ReLU; GPT and BERT use GELU. Children: {@code fc} ({@code W_1}), {@code act},
 * {@code proj} ({@code W_2}) and {@code dropout} (on the output, GPT-2's residual dropout). The
 * two Linears are {@link Layer} fields so that LoRA can replace them by name; {@code act} can be
 * replaced too (by a faster twin of the same function).
 */
public class FeedForward extends Layer {
    private Layer fc;
    private Layer act;
    private Layer proj;
    private final Dropout dropout;

    public FeedForward(int dModel, int hidden, Layer activation, float dropout, boolean bias, Rng rng) {
        this.fc = child("fc", new Linear(dModel, hidden, bias, rng));
        this.act = child("act", activation);
        this.proj = child("proj", new Linear(hidden, dModel, bias, rng));
        this.dropout = child("dropout", new Dropout(dropout, rng.split()));
    }

    /** {@code x (B, T, C) -> (B, T, C)}, through a hidden layer of {@code (B, T, hidden)}. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor h = act.forward(fc.forward(x));                 // (B, T, hidden)
        return dropout.forward(proj.forward(h));               // (B, T, C)
    }

    @Override
    protected void onChildReplaced(String name, Module replacement) {
        switch (name) {
            case "fc" -> fc = (Layer) replacement;
            case "proj" -> proj = (Layer) replacement;
            case "act" -> act = (Layer) replacement;
            default -> super.onChildReplaced(name, replacement);
        }
    }
}
