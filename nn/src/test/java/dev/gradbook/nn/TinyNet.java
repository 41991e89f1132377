package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * A small two-level model for the Module tests: an encoder Sequential, a BatchNorm (which has
 * buffers) and a Linear head. 57 parameter values:
 * <pre>
 *   encoder.0  Linear(4, 5)   20 + 5
 *   encoder.1  ReLU
 *   encoder.2  Linear(5, 3)   15 + 3
 *   norm       BatchNorm1d(3)  3 + 3   (+ running_mean, running_var)
 *   head       Linear(3, 2)    6 + 2
 * </pre>
 */
final class TinyNet extends Module {
    static final int PARAMETER_COUNT = 57;

    final Sequential encoder;
    final BatchNorm1d norm;
    final Linear head;

    TinyNet(Rng rng) {
        encoder = child("encoder", new Sequential(new Linear(4, 5, rng), new ReLU(), new Linear(5, 3, rng)));
        norm = child("norm", new BatchNorm1d(3));
        head = child("head", new Linear(3, 2, rng));
    }

    /** (N, 4) -> (N, 2) */
    Tensor forward(Tensor x) {
        return head.forward(norm.forward(encoder.forward(x)));
    }
}
