package dev.gradbook.nn.recurrent;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the cells and sequence layers share: the affine map {@code x Wᵀ + b}, input checks, splitting into steps. */
final class Cells {
    private Cells() {
    }

    /** {@code x Wᵀ + b} with {@code W (out, in)} as in Linear; {@code b} may be null. */
    static Tensor affine(Tensor x, Tensor weight, Tensor bias) {
        Tensor y = x.matmulT(weight); // (..., out)
        return bias == null ? y : y.add(bias);
    }

    static void checkSizes(String cell, int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(cell + ": sizes must be positive, got inputSize=" + inputSize
                    + ", hiddenSize=" + hiddenSize);
        }
    }

    /** A cell's input must be {@code (B, inputSize)}. */
    static void checkInput(String cell, Tensor x, int inputSize) {
        if (x.dim() != 2 || x.size(1) != inputSize) {
            throw new IllegalArgumentException(cell + ": expects input (B, " + inputSize + "), got shape "
                    + Shape.format(x.shape()));
        }
    }

    /** The given state, checked to be {@code (batch, hiddenSize)}, or zeros if it is null. */
    static Tensor state(String cell, Tensor h, int batch, int hiddenSize) {
        if (h == null) {
            return Tensor.zeros(batch, hiddenSize);
        }
        if (h.dim() != 2 || h.size(0) != batch || h.size(1) != hiddenSize) {
            throw new IllegalArgumentException(cell + ": expects a state of shape "
                    + Shape.format(new int[] {batch, hiddenSize}) + ", got " + Shape.format(h.shape()));
        }
        return h;
    }

    /** A sequence layer's input must be {@code (B, T, inputSize)} with {@code T >= 1}. */
    static void checkSequence(String layer, Tensor x, int inputSize) {
        if (x.dim() != 3 || x.size(2) != inputSize || x.size(1) == 0) {
            throw new IllegalArgumentException(layer + ": expects input (B, T, " + inputSize
                    + ") with T >= 1, got shape " + Shape.format(x.shape()));
        }
    }

    /** An initial state, if given, must be {@code (numLayers, B, hiddenSize)}. */
    static void checkInitial(String layer, String name, Tensor state, int numLayers, int batch, int hiddenSize) {
        int[] expected = {numLayers, batch, hiddenSize};
        if (state != null && !Arrays.equals(state.shape(), expected)) {
            throw new IllegalArgumentException(layer + ": expects the initial " + name + " of shape "
                    + Shape.format(expected) + " (numLayers, B, hiddenSize), got " + Shape.format(state.shape()));
        }
    }

    /**
     * The input sequence {@code (B, T, inputSize)} as T tensors {@code (B, inputSize)}. From here on
     * the layers pass lists of per-step tensors and stack only the final output: the backward of a
     * slice adds a gradient as large as the whole tensor it was cut from, so slicing a stacked
     * sequence at every step costs O(T^2). This first slicing has that cost too, but only when the
     * input itself needs a gradient (for example, when it comes from an Embedding).
     */
    static List<Tensor> timeSteps(Tensor x) {
        List<Tensor> steps = new ArrayList<>();
        for (int t = 0; t < x.size(1); t++) {
            steps.add(x.select(1, t));
        }
        return steps;
    }

    static void checkLayers(String layer, int numLayers) {
        if (numLayers <= 0) {
            throw new IllegalArgumentException(layer + ": numLayers must be positive, got " + numLayers);
        }
    }
}
