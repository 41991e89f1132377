package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

import java.util.List;

/**
 * One step of a gated recurrent unit (Cho et al., "Learning phrase representations using RNN
 * encoder-decoder for statistical machine translation", EMNLP 2014, section 2.3), in PyTorch's
 * formulation:
 * <pre>
 *   r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)          reset gate
 *   z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)          update gate
 *   n  = tanh   (W_in x + b_in + r * (W_hn h + b_hn))    candidate state
 *   h' = (1 - z) * n + z * h
 * </pre>
 * ({@code *} is elementwise). Cho et al. reset the state before the product,
 * {@code tanh(W x + U (r * h))}; PyTorch (following cuDNN) resets after it, which lets
 * {@code W_hh h} for all three gates be one product. We follow PyTorch so that weights transfer.
 * The update gate {@code z} interpolates between keeping the old state and taking the new one.
 *
 * <p>Shapes: {@code x (B, inputSize)}, {@code h (B, hiddenSize)}; weights stacked in the order
 * r, z, n: {@code weight_ih (3*hiddenSize, inputSize)}, {@code weight_hh (3*hiddenSize, hiddenSize)},
 * {@code bias_ih, bias_hh (3*hiddenSize)}, all starting as {@code U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize))}.
 */
public class GRUCell extends RecurrentCell<Tensor> {
    public GRUCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        super("GRUCell", inputSize, hiddenSize, 3, bias, rng); // gates r, z, n
    }

    /** One step from {@code h} (null for zeros). */
    @Override
    public Tensor forward(Tensor x, Tensor h) {
        checkInput(x);
        Tensor state = stateOrZeros(h, x.size(0));
        List<Tensor> fromX = fromInput(x).chunk(3, 1);      // 3 x (B, hiddenSize)
        List<Tensor> fromH = fromHidden(state).chunk(3, 1); // 3 x (B, hiddenSize)
        Tensor r = fromX.get(0).add(fromH.get(0)).sigmoid();
        Tensor z = fromX.get(1).add(fromH.get(1)).sigmoid();
        Tensor n = fromX.get(2).add(r.mul(fromH.get(2))).tanh();
        return n.add(z.mul(state.sub(n))); // (1 - z) n + z h, with one product fewer
    }

    /** The state is the hidden state {@code h} itself. */
    @Override
    protected Tensor output(Tensor h) {
        return h;
    }
}
