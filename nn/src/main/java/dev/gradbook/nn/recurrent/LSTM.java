package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@link LSTMCell}s unrolled over a sequence (batch first): layer {@code l} runs an
 * LSTM over the hidden-state sequence of layer {@code l - 1} (the input, for the first layer),
 * with {@code (h_t, c_t) = LSTMCell(x_t, (h_{t-1}, c_{t-1}))} as in {@link LSTMCell}'s equations.
 *
 * <p>Shapes: input {@code (B, T, inputSize)}; optional initial states {@code h0, c0
 * (numLayers, B, hiddenSize)} (zeros if absent). {@link Output#output} {@code (B, T, hiddenSize)}
 * is the top layer's {@code h} at every step; {@link Output#h} and {@link Output#c}
 * {@code (numLayers, B, hiddenSize)} are every layer's last states, ready to continue the sequence.
 * The cells are the children {@code l0, l1, ...}, so PyTorch's {@code weight_ih_l0} is our
 * {@code l0.weight_ih}.
 */
public class LSTM extends Module {
    /** The top layer's h at each step {@code (B, T, hiddenSize)}; every layer's last h and c {@code (L, B, H)}. */
    public record Output(Tensor output, Tensor h, Tensor c) {
    }

    public final int inputSize;
    public final int hiddenSize;
    public final int numLayers;
    private final List<LSTMCell> cells = new ArrayList<>();

    public LSTM(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, 1, rng);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers, Rng rng) {
        Cells.checkLayers("LSTM", numLayers);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        for (int l = 0; l < numLayers; l++) {
            cells.add(child("l" + l, new LSTMCell(l == 0 ? inputSize : hiddenSize, hiddenSize, rng)));
        }
    }

    /** The cell of layer {@code l}. */
    public LSTMCell cell(int l) {
        return cells.get(l);
    }

    /** Runs from zero states. */
    public Output forward(Tensor x) {
        return forward(x, null, null);
    }

    /** Runs from the initial states {@code h0, c0 (numLayers, B, hiddenSize)}; either may be null for zeros. */
    public Output forward(Tensor x, Tensor h0, Tensor c0) {
        // B batch, T time steps, H hiddenSize, L numLayers
        String layer = "LSTM(" + describe() + ")";
        Cells.checkSequence(layer, x, inputSize);
        Cells.checkInitial(layer, "h0", h0, numLayers, x.size(0), hiddenSize);
        Cells.checkInitial(layer, "c0", c0, numLayers, x.size(0), hiddenSize);
        List<Tensor> sequence = Cells.timeSteps(x); // T x (B, inputSize)
        List<Tensor> lastH = new ArrayList<>();
        List<Tensor> lastC = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            LSTMCell.State state = new LSTMCell.State(
                    h0 == null ? null : h0.select(0, l), c0 == null ? null : c0.select(0, l)); // (B, H) each
            List<Tensor> hs = new ArrayList<>();
            for (Tensor xt : sequence) {
                state = cells.get(l).forward(xt, state);
                hs.add(state.h());                       // (B, H)
            }
            sequence = hs;
            lastH.add(state.h());
            lastC.add(state.c());
        }
        return new Output(Tensor.stack(sequence, 1), Tensor.stack(lastH, 0), Tensor.stack(lastC, 0)); // (B, T, H), 2 x (L, B, H)
    }

    @Override
    protected String describe() {
        return inputSize + ", " + hiddenSize + ", numLayers=" + numLayers;
    }
}
