package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * A stack of {@link RNNCell}s unrolled over a sequence (batch first):
 * <pre>
 *   h_t^(l) = tanh(W_ih^(l) h_t^(l-1) + b_ih^(l) + W_hh^(l) h_{t-1}^(l) + b_hh^(l)),   h_t^(0) = x_t
 * </pre>
 * Layer {@code l} reads the whole output sequence of layer {@code l - 1}: each layer runs its
 * cell over all T steps before the next layer starts.
 *
 * <p>Shapes: input {@code (B, T, inputSize)}, optional initial state {@code h0 (numLayers, B, hiddenSize)}
 * (zeros if absent); {@link Output#output} {@code (B, T, hiddenSize)} is the top layer's state at
 * every step and {@link Output#h} {@code (numLayers, B, hiddenSize)} every layer's last state.
 * The cells are the children {@code l0, l1, ...} ({@link RecurrentStack}).
 */
public class RNN extends RecurrentStack<Tensor, RNNCell> {
    /** The top layer's states {@code (B, T, hiddenSize)}; each layer's last state {@code (numLayers, B, hiddenSize)}. */
    public record Output(Tensor output, Tensor h) {
    }

    public RNN(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, 1, rng);
    }

    public RNN(int inputSize, int hiddenSize, int numLayers, Rng rng) {
        super("RNN", inputSize, hiddenSize, numLayers, in -> new RNNCell(in, hiddenSize, rng));
    }

    /** Runs from zero states. */
    public Output forward(Tensor x) {
        return forward(x, null);
    }

    /** Runs from the initial states {@code h0 (numLayers, B, hiddenSize)}, or zeros if null. */
    public Output forward(Tensor x, Tensor h0) {
        // B batch, T time steps, H hiddenSize, L numLayers
        checkSequence(x);
        checkInitial("h0", h0, x.size(0));
        Unrolled<Tensor> run = unroll(x, l -> layerSlice(h0, l));           // (B, H) for layer l
        return new Output(run.output(), Tensor.stack(run.lastStates(), 0)); // (B, T, H), (L, B, H)
    }
}
