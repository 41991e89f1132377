package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Module;

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
public class RNNCell extends Module {
    public final int inputSize;
    public final int hiddenSize;
    public final Tensor weightIh;
    public final Tensor weightHh;
    /** Null when built without biases. */
    public final Tensor biasIh;
    public final Tensor biasHh;

    public RNNCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        Cells.checkSizes("RNNCell", inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.weightIh = parameter("weight_ih", Init.pytorchDefault(rng, hiddenSize, hiddenSize, inputSize));
        this.weightHh = parameter("weight_hh", Init.pytorchDefault(rng, hiddenSize, hiddenSize, hiddenSize));
        this.biasIh = bias ? parameter("bias_ih", Init.pytorchDefault(rng, hiddenSize, hiddenSize)) : null;
        this.biasHh = bias ? parameter("bias_hh", Init.pytorchDefault(rng, hiddenSize, hiddenSize)) : null;
    }

    /** One step from a zero state. */
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)}; {@code h} may be null for zeros. */
    public Tensor forward(Tensor x, Tensor h) {
        String cell = "RNNCell(" + describe() + ")";
        Cells.checkInput(cell, x, inputSize);
        Tensor state = Cells.state(cell, h, x.size(0), hiddenSize);
        return Cells.affine(x, weightIh, biasIh).add(Cells.affine(state, weightHh, biasHh)).tanh(); // (B, hiddenSize)
    }

    @Override
    protected String describe() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=false" : "");
    }
}
