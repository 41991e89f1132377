package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * One step of the simple (Elman) recurrent network (Elman, "Finding structure in time",
 * Cognitive Science 1990):
 * <pre>
 *   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
 * </pre>
 * Shapes: {@code x (B, inputSize)}, {@code h, h' (B, hiddenSize)}, {@code W_ih (hiddenSize, inputSize)},
 * {@code W_hh (hiddenSize, hiddenSize)}, {@code b_ih, b_hh (hiddenSize)}. Parameter names and
 * layouts are PyTorch's; every parameter starts as {@code U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize))}.
 */
public class RNNCell extends RecurrentCell<Tensor> {
    public RNNCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        super("RNNCell", inputSize, hiddenSize, 1, bias, rng); // no gates: one block of weights
    }

    /** {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)}; {@code h} may be null for zeros. */
    @Override
    public Tensor forward(Tensor x, Tensor h) {
        checkInput(x);
        Tensor state = stateOrZeros(h, x.size(0));
        return fromInput(x).add(fromHidden(state)).tanh(); // (B, hiddenSize)
    }

    /** The state is the hidden state {@code h} itself. */
    @Override
    protected Tensor output(Tensor h) {
        return h;
    }
}
