package dev.gradbook.nn.loss;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.gradbook.core.testing.GradCheckCases.fixed;
import static dev.gradbook.core.testing.GradCheckCases.grad;
import static dev.gradbook.core.testing.GradCheckCases.shape;

/** Finite-difference checks of every loss, with respect to the prediction (and the target where it is smooth). */
class LossGradientsTest {
    private static final IntTensor CLASSES = IntTensor.vector(2, 0, -100, 1, 2);
    private static final IntTensor SPATIAL = IntTensor.of(new int[] {0, 2, 1, 1, -100, 0}, 2, 3);

    static Stream<GradCheckCases.Case> cases() {
        return Stream.of(
                grad("mse", in -> Losses.mse(in[0], in[1]), shape(3, 4), shape(3, 4)),
                grad("mse none", in -> Losses.mse(in[0], in[1], Reduction.NONE), shape(5), shape(5)),
                // |x - y| is smooth away from x = y: y is a constant 0 and x keeps off the kink
                grad("l1", in -> Losses.l1(in[0], in[1], Reduction.SUM), shape(3, 4).awayFrom(0f),
                        fixed(Tensor.zeros(3, 4)).constant()),
                grad("huber", in -> Losses.huber(in[0], in[1], 0.7f),
                        shape(4, 3).map("x3", x -> 3 * x).awayFrom(0.7f, -0.7f), fixed(Tensor.zeros(4, 3)).constant()),
                grad("binaryCrossEntropy", in -> Losses.binaryCrossEntropy(in[0], in[1]),
                        shape(6).map("in (0.15, 0.85)", x -> 0.5f + 0.35f * (float) Math.tanh(x)),
                        fixed(Tensor.vector(1f, 0f, 0.3f, 1f, 0f, 0.8f))),
                grad("binaryCrossEntropyWithLogits", in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1]),
                        shape(2, 4).map("x4", x -> 4 * x).awayFrom(0f), fixed(Tensor.rand(new dev.gradbook.core.Rng(3), 2, 4))),
                grad("smoothL1 beta 0.7", in -> Losses.smoothL1(in[0], in[1], 0.7f, Reduction.MEAN),
                        shape(4, 3).map("x3", x -> 3 * x).awayFrom(0.7f, -0.7f), fixed(Tensor.zeros(4, 3)).constant()),
                grad("smoothL1 both sides", in -> Losses.smoothL1(in[0], in[1], 1.5f, Reduction.SUM),
                        shape(6).map("x3", x -> 3 * x).awayFrom(1.5f, -1.5f), fixed(Tensor.zeros(6))),
                grad("crossEntropy", in -> Losses.crossEntropy(in[0], CLASSES), shape(5, 3)),
                grad("crossEntropy smoothed sum", in -> Losses.crossEntropy(in[0], CLASSES,
                        new CrossEntropyOptions(Reduction.SUM, -100, 0.15f)), shape(5, 3)),
                grad("crossEntropy spatial none", in -> Losses.crossEntropy(in[0], SPATIAL,
                        new CrossEntropyOptions(Reduction.NONE, -100, 0.1f)), shape(2, 3, 3)),
                grad("nll", in -> Losses.nll(in[0].logSoftmax(1), CLASSES), shape(5, 3)),
                grad("klDiv batchmean", in -> Losses.klDivBatchMean(in[0].logSoftmax(1), in[1].softmax(1)),
                        shape(3, 4), shape(3, 4)),
                grad("klDiv with zero target entries", in -> Losses.klDiv(in[0].logSoftmax(1),
                        Tensor.of(new float[][] {{0.5f, 0.5f, 0f}, {0f, 0.25f, 0.75f}}), Reduction.SUM), shape(2, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(GradCheckCases.Case c) {
        c.check();
    }
}
