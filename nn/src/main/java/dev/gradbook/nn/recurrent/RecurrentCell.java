package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Module;

/**
 * One step of a recurrence, {@code state' = cell(x, state)}: what {@link RNNCell}, {@link GRUCell}
 * and {@link LSTMCell} share. Each reads the input through {@code W_ih x + b_ih} and its previous
 * hidden state through {@code W_hh h + b_hh}, with the weights of all its gates stacked into one
 * matrix each, as PyTorch lays them out:
 * <pre>
 *   weight_ih (gates*hiddenSize, inputSize)    weight_hh (gates*hiddenSize, hiddenSize)
 *   bias_ih, bias_hh (gates*hiddenSize)        all U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize))
 * </pre>
 * so one product per matrix computes every gate, and the result is cut into the gates with
 * {@code chunk}. The cells differ in how many gates they have and in how they combine them.
 *
 * <p>{@code S} is the state carried from step to step: the hidden state {@code h} itself for the
 * RNN and GRU cells, the pair {@code (h, c)} for the LSTM cell. A null state stands for zeros.
 */
public abstract class RecurrentCell<S> extends Module {
    public final int inputSize;
    public final int hiddenSize;
    public final Tensor weightIh;
    public final Tensor weightHh;
    /** Null when built without biases. */
    public final Tensor biasIh;
    public final Tensor biasHh;
    private final String name;

    /** Registers {@code weight_ih, weight_hh, bias_ih, bias_hh} for {@code gates} stacked gates. */
    protected RecurrentCell(String name, int inputSize, int hiddenSize, int gates, boolean bias, Rng rng) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(name + ": sizes must be positive, got inputSize=" + inputSize
                    + ", hiddenSize=" + hiddenSize);
        }
        this.name = name;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int rows = gates * hiddenSize;
        this.weightIh = parameter("weight_ih", Init.pytorchDefault(rng, hiddenSize, rows, inputSize));
        this.weightHh = parameter("weight_hh", Init.pytorchDefault(rng, hiddenSize, rows, hiddenSize));
        this.biasIh = bias ? parameter("bias_ih", Init.pytorchDefault(rng, hiddenSize, rows)) : null;
        this.biasHh = bias ? parameter("bias_hh", Init.pytorchDefault(rng, hiddenSize, rows)) : null;
    }

    /** One step from {@code state} (null for zeros): {@code x (B, inputSize)} to the next state. */
    public abstract S forward(Tensor x, S state);

    /** One step from the zero state. */
    public S forward(Tensor x) {
        return forward(x, null);
    }

    /** The hidden state {@code h (B, hiddenSize)} in {@code state}: the cell's output, and the next layer's input. */
    protected abstract Tensor output(S state);

    /** {@code W_ih x + b_ih}, every gate's input part at once: {@code (B, gates*hiddenSize)}. */
    protected Tensor fromInput(Tensor x) {
        return affine(x, weightIh, biasIh);
    }

    /** {@code W_hh h + b_hh}, every gate's recurrent part at once: {@code (B, gates*hiddenSize)}. */
    protected Tensor fromHidden(Tensor h) {
        return affine(h, weightHh, biasHh);
    }

    /** {@code x Wᵀ + b} with {@code W (out, in)} as in Linear; {@code b} may be null. */
    private static Tensor affine(Tensor x, Tensor weight, Tensor bias) {
        Tensor y = x.matmulT(weight); // (B, out)
        return bias == null ? y : y.add(bias);
    }

    /** Checks that a step's input is {@code (B, inputSize)}. */
    protected void checkInput(Tensor x) {
        if (x.dim() != 2 || x.size(1) != inputSize) {
            throw new IllegalArgumentException(layerName() + ": expects input (B, " + inputSize + "), got shape "
                    + Shape.format(x.shape()));
        }
    }

    /** The given state tensor, checked to be {@code (batch, hiddenSize)}, or zeros if it is null. */
    protected Tensor stateOrZeros(Tensor h, int batch) {
        if (h == null) {
            return Tensor.zeros(batch, hiddenSize);
        }
        if (h.dim() != 2 || h.size(0) != batch || h.size(1) != hiddenSize) {
            throw new IllegalArgumentException(layerName() + ": expects a state of shape "
                    + Shape.format(new int[] {batch, hiddenSize}) + ", got " + Shape.format(h.shape()));
        }
        return h;
    }

    private String layerName() {
        return name + "(" + describe() + ")";
    }

    @Override
    protected String describe() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=false" : "");
    }
}
