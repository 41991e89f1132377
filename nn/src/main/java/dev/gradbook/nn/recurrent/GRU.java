package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@link GRUCell}s unrolled over a sequence (batch first): layer {@code l} runs a
 * GRU over the output sequence of layer {@code l - 1} (the input, for the first layer), with
 * {@code h_t = GRUCell(x_t, h_{t-1})} as in {@link GRUCell}'s equations.
 *
 * <p>Shapes: input {@code (B, T, inputSize)}, optional initial state {@code h0 (numLayers, B, hiddenSize)}
 * (zeros if absent); {@link Output#output} {@code (B, T, hiddenSize)} is the top layer's state at
 * every step and {@link Output#h} {@code (numLayers, B, hiddenSize)} every layer's last state.
 * The cells are the children {@code l0, l1, ...}, so PyTorch's {@code weight_ih_l0} is our
 * {@code l0.weight_ih}.
 */
public class GRU extends Module {
    /** The top layer's states {@code (B, T, hiddenSize)}; each layer's last state {@code (numLayers, B, hiddenSize)}. */
    public record Output(Tensor output, Tensor h) {
    }

    public final int inputSize;
    public final int hiddenSize;
    public final int numLayers;
    private final List<GRUCell> cells = new ArrayList<>();

    public GRU(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, 1, rng);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers, Rng rng) {
        Cells.checkLayers("GRU", numLayers);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        for (int l = 0; l < numLayers; l++) {
            cells.add(child("l" + l, new GRUCell(l == 0 ? inputSize : hiddenSize, hiddenSize, rng)));
        }
    }

    /** The cell of layer {@code l}. */
    public GRUCell cell(int l) {
        return cells.get(l);
    }

    /** Runs from zero states. */
    public Output forward(Tensor x) {
        return forward(x, null);
    }

    /** Runs from the initial states {@code h0 (numLayers, B, hiddenSize)}, or zeros if null. */
    public Output forward(Tensor x, Tensor h0) {
        // B batch, T time steps, H hiddenSize, L numLayers
        String layer = "GRU(" + describe() + ")";
        Cells.checkSequence(layer, x, inputSize);
        Cells.checkInitial(layer, "h0", h0, numLayers, x.size(0), hiddenSize);
        List<Tensor> sequence = Cells.timeSteps(x); // T x (B, inputSize)
        List<Tensor> last = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            Tensor h = h0 == null ? null : h0.select(0, l); // (B, H)
            List<Tensor> states = new ArrayList<>();
            for (Tensor xt : sequence) {
                h = cells.get(l).forward(xt, h);            // (B, H)
                states.add(h);
            }
            sequence = states;
            last.add(h);
        }
        return new Output(Tensor.stack(sequence, 1), Tensor.stack(last, 0)); // (B, T, H), (L, B, H)
    }

    @Override
    protected String describe() {
        return inputSize + ", " + hiddenSize + ", numLayers=" + numLayers;
    }
}
