package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

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
 * The cells are the children {@code l0, l1, ...} ({@link RecurrentStack}).
 */
public class LSTM extends RecurrentStack<LSTMCell.State, LSTMCell> {
    /** The top layer's h at each step {@code (B, T, hiddenSize)}; every layer's last h and c {@code (L, B, H)}. */
    public record Output(Tensor output, Tensor h, Tensor c) {
    }

    public LSTM(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, 1, rng);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers, Rng rng) {
        super("LSTM", inputSize, hiddenSize, numLayers, in -> new LSTMCell(in, hiddenSize, rng));
    }

    /** Runs from zero states. */
    public Output forward(Tensor x) {
        return forward(x, null, null);
    }

    /** Runs from the initial states {@code h0, c0 (numLayers, B, hiddenSize)}; either may be null for zeros. */
    public Output forward(Tensor x, Tensor h0, Tensor c0) {
        // B batch, T time steps, H hiddenSize, L numLayers
        checkSequence(x);
        checkInitial("h0", h0, x.size(0));
        checkInitial("c0", c0, x.size(0));
        Unrolled<LSTMCell.State> run =
                unroll(x, l -> new LSTMCell.State(layerSlice(h0, l), layerSlice(c0, l))); // (B, H) each
        List<LSTMCell.State> last = run.lastStates();
        Tensor h = Tensor.stack(last.stream().map(LSTMCell.State::h).toList(), 0); // (L, B, H)
        Tensor c = Tensor.stack(last.stream().map(LSTMCell.State::c).toList(), 0); // (L, B, H)
        return new Output(run.output(), h, c);                                     // (B, T, H), 2 x (L, B, H)
    }
}
