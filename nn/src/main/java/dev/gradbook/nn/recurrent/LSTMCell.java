package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Module;

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
public class LSTMCell extends Module {
    /** The hidden state {@code h} (the cell's output) and the cell state {@code c}, each {@code (B, hiddenSize)}. */
    public record State(Tensor h, Tensor c) {
    }

    public final int inputSize;
    public final int hiddenSize;
    public final Tensor weightIh;
    public final Tensor weightHh;
    /** Null when built without biases. */
    public final Tensor biasIh;
    public final Tensor biasHh;

    public LSTMCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        Cells.checkSizes("LSTMCell", inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int gates = 4 * hiddenSize;
        this.weightIh = parameter("weight_ih", Init.pytorchDefault(rng, hiddenSize, gates, inputSize));
        this.weightHh = parameter("weight_hh", Init.pytorchDefault(rng, hiddenSize, gates, hiddenSize));
        this.biasIh = bias ? parameter("bias_ih", Init.pytorchDefault(rng, hiddenSize, gates)) : null;
        this.biasHh = bias ? parameter("bias_hh", Init.pytorchDefault(rng, hiddenSize, gates)) : null;
    }

    /** One step from the zero state. */
    public State forward(Tensor x) {
        return forward(x, null);
    }

    /** One step from {@code state} (null for zeros). */
    public State forward(Tensor x, State state) {
        String cell = "LSTMCell(" + describe() + ")";
        Cells.checkInput(cell, x, inputSize);
        Tensor h = Cells.state(cell, state == null ? null : state.h(), x.size(0), hiddenSize);
        Tensor c = Cells.state(cell, state == null ? null : state.c(), x.size(0), hiddenSize);
        Tensor gates = Cells.affine(x, weightIh, biasIh).add(Cells.affine(h, weightHh, biasHh)); // (B, 4*hiddenSize)
        List<Tensor> ifgo = gates.chunk(4, 1);                                                   // 4 x (B, hiddenSize)
        Tensor i = ifgo.get(0).sigmoid();
        Tensor f = ifgo.get(1).sigmoid();
        Tensor g = ifgo.get(2).tanh();
        Tensor o = ifgo.get(3).sigmoid();
        Tensor cNext = f.mul(c).add(i.mul(g));
        Tensor hNext = o.mul(cNext.tanh());
        return new State(hNext, cNext);
    }

    @Override
    protected String describe() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=false" : "");
    }
}
