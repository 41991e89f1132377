package dev.gradbook.nn;

import dev.gradbook.core.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A multi-layer perceptron: Linear layers with an activation between them (none after the last),
 * and optional dropout after each activation. {@code new MLP(new int[] {784, 256, 10}, ReLU::new, rng)}
 * is {@code Linear(784, 256) -> ReLU -> Linear(256, 10)}.
 */
public class MLP extends Sequential {
    public MLP(int[] sizes, Supplier<Layer> activation, Rng rng) {
        this(sizes, activation, 0f, rng);
    }

    public MLP(int[] sizes, Supplier<Layer> activation, float dropout, Rng rng) {
        super(build(sizes, activation, dropout, rng));
    }

    private static List<Layer> build(int[] sizes, Supplier<Layer> activation, float dropout, Rng rng) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("MLP: needs at least an input and an output size, got "
                    + java.util.Arrays.toString(sizes));
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Linear(sizes[i], sizes[i + 1], rng));
            if (i + 2 < sizes.length) {
                layers.add(activation.get());
                if (dropout > 0) {
                    layers.add(new Dropout(dropout, rng.split()));
                }
            }
        }
        return layers;
    }
}
