package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

import java.util.List;

/**
 * One step of a long short-term memory (Hochreiter and Schmidhuber, "Long short-term memory",
 * Neural Computation 1997), with the forget gate of Gers, Schmidhuber and Cummins ("Learning to
 * forget", Neural Computation 2000), in PyTorch's formulation:
 * <pre>
 *   i  = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      input gate
 *   f  = sigmoid(W_if x + b_if + W_hf h + b_hf)      forget gate
 *   g  = tanh   (W_ig x + b_ig + W_hg h + b_hg)      candidate cell values
 *   o  = sigmoid(W_io x + b_io + W_ho h + b_ho)      output gate
 *   c' = f * c + i * g
 *   h' = o * tanh(c')
 * </pre>
 * ({@code *} is elementwise). The cell state {@code c} is changed only by the gated sum, so
 * gradients can flow along it over many steps without being squashed at each one.
 *
 * <p>Shapes: {@code x (B, inputSize)}, {@code h, c (B, hiddenSize)}. The four gates' weights are
 * stacked in the order i, f, g, o as PyTorch does: {@code weight_ih (4*hiddenSize, inputSize)},
 * {@code weight_hh (4*hiddenSize, hiddenSize)}, {@code bias_ih, bias_hh (4*hiddenSize)}, all
 * starting as {@code U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize))}.
 */
public class LSTMCell extends RecurrentCell<LSTMCell.State> {
    /** The hidden state {@code h} (the cell's output) and the cell state {@code c}, each {@code (B, hiddenSize)}. */
    public record State(Tensor h, Tensor c) {
    }

    public LSTMCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        super("LSTMCell", inputSize, hiddenSize, 4, bias, rng); // gates i, f, g, o
    }

    /** One step from {@code state} (null for zeros; so may be either of its tensors). */
    @Override
    public State forward(Tensor x, State state) {
        checkInput(x);
        Tensor h = stateOrZeros(state == null ? null : state.h(), x.size(0));
        Tensor c = stateOrZeros(state == null ? null : state.c(), x.size(0));
        Tensor gates = fromInput(x).add(fromHidden(h)); // (B, 4*hiddenSize)
        List<Tensor> ifgo = gates.chunk(4, 1);          // 4 x (B, hiddenSize)
        Tensor i = ifgo.get(0).sigmoid();
        Tensor f = ifgo.get(1).sigmoid();
        Tensor g = ifgo.get(2).tanh();
        Tensor o = ifgo.get(3).sigmoid();
        Tensor cNext = f.mul(c).add(i.mul(g));
        Tensor hNext = o.mul(cNext.tanh());
        return new State(hNext, cNext);
    }

    /** The hidden state {@code h}; the cell state {@code c} stays inside the layer. */
    @Override
    protected Tensor output(State state) {
        return state.h();
    }
}
