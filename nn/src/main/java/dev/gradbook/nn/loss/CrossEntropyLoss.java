package dev.gradbook.nn.loss;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

/**
 * {@link Losses#crossEntropy} as a module (PyTorch's {@code nn.CrossEntropyLoss}), for code that
 * keeps its loss next to its layers. It has no parameters; the options are fixed at construction.
 */
public final class CrossEntropyLoss extends Module {
    private final CrossEntropyOptions options;

    public CrossEntropyLoss() {
        this(CrossEntropyOptions.DEFAULT);
    }

    public CrossEntropyLoss(CrossEntropyOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("CrossEntropyLoss: options must not be null");
        }
        this.options = options;
    }

    /** Logits {@code (N, C, d...)}, class indices {@code (N, d...)}; see {@link Losses#crossEntropy}. */
    public Tensor forward(Tensor logits, IntTensor target) {
        return Losses.crossEntropy(logits, target, options);
    }

    @Override
    protected String describe() {
        return "reduction=" + options.reduction() + ", ignoreIndex=" + options.ignoreIndex()
                + ", labelSmoothing=" + options.labelSmoothing();
    }
}
