package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * A stack of {@link GRUCell}s unrolled over a sequence (batch first): layer {@code l} runs a
 * GRU over the output sequence of layer {@code l - 1} (the input, for the first layer), with
 * {@code h_t = GRUCell(x_t, h_{t-1})} as in {@link GRUCell}'s equations.
 *
 * <p>Shapes: input {@code (B, T, inputSize)}, optional initial state {@code h0 (numLayers, B, hiddenSize)}
 * (zeros if absent); {@link Output#output} {@code (B, T, hiddenSize)} is the top layer's state at
 * every step and {@link Output#h} {@code (numLayers, B, hiddenSize)} every layer's last state.
 * The cells are the children {@code l0, l1, ...} ({@link RecurrentStack}).
 */
public class GRU extends RecurrentStack<Tensor, GRUCell> {
    /** The top layer's states {@code (B, T, hiddenSize)}; each layer's last state {@code (numLayers, B, hiddenSize)}. */
    public record Output(Tensor output, Tensor h) {
    }

    public GRU(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, 1, rng);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers, Rng rng) {
        super("GRU", inputSize, hiddenSize, numLayers, in -> new GRUCell(in, hiddenSize, rng));
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
