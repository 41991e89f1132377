package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference that the {@link RNN} and {@link GRU} tests compare against: the stacked
 * recurrence written out by hand, one cell call per step, layer after layer, each layer reading
 * the stacked output sequence of the one below.
 */
final class StepByStep {
    /** The top layer's states {@code (B, T, H)} and every layer's last state {@code (L, B, H)}. */
    record Result(Tensor output, Tensor h) {
    }

    private StepByStep() {
    }

    /** Runs {@code cells.get(l)} over every step of layer {@code l - 1}'s outputs, from {@code h0.select(0, l)}. */
    static Result run(List<? extends RecurrentCell<Tensor>> cells, Tensor x, Tensor h0) {
        Tensor sequence = x; // (B, T, inputSize), then (B, T, H)
        List<Tensor> last = new ArrayList<>();
        for (int l = 0; l < cells.size(); l++) {
            Tensor h = h0.select(0, l);
            List<Tensor> states = new ArrayList<>();
            for (int t = 0; t < x.size(1); t++) {
                h = cells.get(l).forward(sequence.select(1, t), h);
                states.add(h);
            }
            last.add(h);
            sequence = Tensor.stack(states, 1);
        }
        return new Result(sequence, Tensor.stack(last, 0));
    }
}
