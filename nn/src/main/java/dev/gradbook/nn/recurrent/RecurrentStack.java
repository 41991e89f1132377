package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A stack of {@code numLayers} recurrent cells unrolled over a sequence (batch first), what
 * {@link RNN}, {@link GRU} and {@link LSTM} share. Layer {@code l} reads the output sequence of
 * layer {@code l - 1}, the input itself for the first layer:
 * <pre>
 *   state_t^(l) = cell^(l)(h_t^(l-1), state_{t-1}^(l)),    h_t^(0) = x_t,    h_t^(l) = output(state_t^(l))
 * </pre>
 * Each layer runs its cell over all T steps before the next layer starts; the top layer's
 * {@code h} at every step is the output, and every layer's last state is returned as well, ready
 * to continue the sequence. (A "deep" recurrent network in the sense of Graves, Mohamed and
 * Hinton, "Speech recognition with deep recurrent neural networks", ICASSP 2013, section 2.)
 *
 * <p>Shapes: input {@code (B, T, inputSize)}; initial states {@code (numLayers, B, hiddenSize)};
 * output {@code (B, T, hiddenSize)}. The first cell maps {@code inputSize} to {@code hiddenSize},
 * the others {@code hiddenSize} to {@code hiddenSize}. The cells are the children
 * {@code l0, l1, ...}, so PyTorch's {@code weight_ih_l0} is our {@code l0.weight_ih}.
 *
 * @param <S> the state each cell carries from step to step ({@link RecurrentCell})
 * @param <C> the cell type
 */
public abstract class RecurrentStack<S, C extends RecurrentCell<S>> extends Module {
    /** The top layer's outputs {@code (B, T, hiddenSize)} and every layer's last state, bottom first. */
    protected record Unrolled<S>(Tensor output, List<S> lastStates) {
    }

    public final int inputSize;
    public final int hiddenSize;
    public final int numLayers;
    private final String name;
    private final List<C> cells = new ArrayList<>();

    /** Builds the cells with {@code newCell.apply(layerInputSize)}, one per layer. */
    protected RecurrentStack(String name, int inputSize, int hiddenSize, int numLayers, IntFunction<C> newCell) {
        if (numLayers <= 0) {
            throw new IllegalArgumentException(name + ": numLayers must be positive, got " + numLayers);
        }
        this.name = name;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        for (int l = 0; l < numLayers; l++) {
            cells.add(child("l" + l, newCell.apply(l == 0 ? inputSize : hiddenSize)));
        }
    }

    /** The cell of layer {@code l}. */
    public C cell(int l) {
        return cells.get(l);
    }

    /**
     * Runs every layer's cell over the sequence {@code x (B, T, inputSize)}, layer {@code l}
     * starting from {@code initial.apply(l)} (null for zeros).
     *
     * <p>The sequence passes between layers as a list of T tensors {@code (B, H)}, stacked only
     * at the end: the backward of a slice adds a gradient as large as the whole tensor it was cut
     * from, so slicing a stacked sequence at every step would cost O(T^2). Slicing the input into
     * steps has that cost too, but only when the input itself needs a gradient (for example, when
     * it comes from an Embedding).
     */
    protected Unrolled<S> unroll(Tensor x, IntFunction<S> initial) {
        // B batch, T time steps, H hiddenSize
        List<Tensor> sequence = new ArrayList<>(); // T x (B, inputSize)
        for (int t = 0; t < x.size(1); t++) {
            sequence.add(x.select(1, t));
        }
        List<S> lastStates = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            C cell = cells.get(l);
            S state = initial.apply(l);
            List<Tensor> outputs = new ArrayList<>();
            for (Tensor xt : sequence) {
                state = cell.forward(xt, state);
                outputs.add(cell.output(state)); // (B, H)
            }
            sequence = outputs;
            lastStates.add(state);
        }
        return new Unrolled<>(Tensor.stack(sequence, 1), lastStates); // (B, T, H)
    }

    /** Checks that the input is {@code (B, T, inputSize)} with {@code T >= 1}. */
    protected void checkSequence(Tensor x) {
        if (x.dim() != 3 || x.size(2) != inputSize || x.size(1) == 0) {
            throw new IllegalArgumentException(layerName() + ": expects input (B, T, " + inputSize
                    + ") with T >= 1, got shape " + Shape.format(x.shape()));
        }
    }

    /** Checks that the initial state {@code stateName}, if given, is {@code (numLayers, B, hiddenSize)}. */
    protected void checkInitial(String stateName, Tensor state, int batch) {
        int[] expected = {numLayers, batch, hiddenSize};
        if (state != null && !Arrays.equals(state.shape(), expected)) {
            throw new IllegalArgumentException(layerName() + ": expects the initial " + stateName + " of shape "
                    + Shape.format(expected) + " (numLayers, B, hiddenSize), got " + Shape.format(state.shape()));
        }
    }

    /** Layer {@code l}'s {@code (B, hiddenSize)} of initial states {@code (numLayers, B, hiddenSize)}; null if none. */
    protected static Tensor layerSlice(Tensor states, int l) {
        return states == null ? null : states.select(0, l);
    }

    private String layerName() {
        return name + "(" + describe() + ")";
    }

    @Override
    protected String describe() {
        return inputSize + ", " + hiddenSize + ", numLayers=" + numLayers;
    }
}
