package dev.gradbook.nn;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import dev.gradbook.core.testing.GradCheckCases.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.gradbook.core.testing.GradCheckCases.fixed;
import static dev.gradbook.core.testing.GradCheckCases.grad;
import static dev.gradbook.core.testing.GradCheckCases.shape;
import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Finite-difference checks of every layer in the root package, with respect to the input and to
 * every parameter. A parameter is handed to the checker as the layer's own tensor (see
 * {@link #layer}), so the checker perturbs the very values the layer reads in forward.
 */
class LayerGradientsTest {

    /** A row checking {@code layer.forward(x)} w.r.t. {@code x} and every parameter of {@code layer}. */
    static GradCheckCases.Case layer(String name, Layer layer, Input x) {
        List<Input> inputs = new ArrayList<>();
        inputs.add(x);
        for (Tensor p : layer.parameters()) {
            inputs.add(new Input("parameter" + java.util.Arrays.toString(p.shape()), rng -> p, true));
        }
        return grad(name, in -> layer.forward(in[0]), inputs.toArray(new Input[0]));
    }

    static BatchNorm inEvalWithRunningStats(BatchNorm bn, Rng rng) {
        try (var noGrad = Autograd.noGrad()) {
            bn.runningMean.copyInPlace(Tensor.randn(rng, bn.numFeatures));
            bn.runningVar.copyInPlace(Tensor.uniform(rng, 0.5f, 2f, bn.numFeatures));
            bn.weight.copyInPlace(Tensor.uniform(rng, 0.5f, 1.5f, bn.numFeatures));
            bn.bias.copyInPlace(Tensor.randn(rng, bn.numFeatures));
        }
        bn.eval();
        return bn;
    }

    static LayerNorm withRandomAffine(LayerNorm ln, Rng rng) {
        try (var noGrad = Autograd.noGrad()) {
            ln.weight.copyInPlace(Tensor.uniform(rng, 0.5f, 1.5f, ln.normalizedShape));
            ln.bias.copyInPlace(Tensor.randn(rng, ln.normalizedShape));
        }
        return ln;
    }

    static RMSNorm withRandomScale(RMSNorm norm, Rng rng) {
        try (var noGrad = Autograd.noGrad()) {
            norm.weight.copyInPlace(Tensor.uniform(rng, 0.5f, 1.5f, norm.dim));
        }
        return norm;
    }

    static Stream<GradCheckCases.Case> cases() {
        Rng rng = new Rng(42);
        IntTensor ids = IntTensor.of(new int[] {1, 3, 1, 0, 3, 3}, 2, 3); // rows 1 and 3 repeat, row 2 unused
        Embedding emb = new Embedding(4, 3, rng);
        return Stream.of(
                layer("Linear 2-D", new Linear(4, 3, rng), shape(5, 4)),
                layer("Linear 3-D", new Linear(4, 3, rng), shape(2, 3, 4)),
                layer("Linear 1-D", new Linear(4, 3, rng), shape(4)),
                layer("Linear no bias 2-D", new Linear(4, 3, false, rng), shape(5, 4)),
                layer("Linear no bias 3-D", new Linear(3, 2, false, rng), shape(2, 2, 3)),
                grad("Embedding repeated ids", in -> emb.forward(ids), new Input("weight", r -> emb.weight, true)),
                layer("LayerNorm affine", withRandomAffine(new LayerNorm(5), rng), shape(3, 5)),
                layer("LayerNorm affine 3-D", withRandomAffine(new LayerNorm(4), rng), shape(2, 3, 4)),
                layer("LayerNorm affine 16 wide", withRandomAffine(new LayerNorm(16), rng), shape(2, 16)),
                layer("LayerNorm no affine", new LayerNorm(5, 1e-5f, false), shape(3, 5)),
                layer("RMSNorm", withRandomScale(new RMSNorm(5), rng), shape(3, 5)),
                layer("RMSNorm 3-D", withRandomScale(new RMSNorm(4), rng), shape(2, 2, 4)),
                layer("BatchNorm1d train (N,C)", new BatchNorm1d(3), shape(5, 3)),
                layer("BatchNorm1d train (N,C,L)", new BatchNorm1d(3), shape(2, 3, 4)),
                layer("BatchNorm2d train", new BatchNorm2d(2), shape(2, 2, 3, 3)),
                layer("BatchNorm1d eval (N,C)", inEvalWithRunningStats(new BatchNorm1d(3), rng), shape(4, 3)),
                layer("BatchNorm1d eval (N,C,L)", inEvalWithRunningStats(new BatchNorm1d(3), rng), shape(2, 3, 4)),
                layer("BatchNorm2d eval", inEvalWithRunningStats(new BatchNorm2d(2), rng), shape(2, 2, 3, 3)),
                // a fresh generator with the same seed in every call: the same mask every time
                grad("Dropout fixed mask", in -> new Dropout(0.3f, new Rng(7)).forward(in[0]), shape(4, 5)),
                layer("ReLU", new ReLU(), shape(3, 4).awayFrom(0f)),
                layer("LeakyReLU", new LeakyReLU(0.2f), shape(3, 4).awayFrom(0f)),
                layer("Tanh", new Tanh(), shape(3, 4)),
                layer("Sigmoid", new Sigmoid(), shape(3, 4)),
                layer("GELU", new GELU(), shape(3, 4)),
                layer("GELU tanh", GELU.tanhApproximation(), shape(3, 4)),
                layer("SiLU", new SiLU(), shape(3, 4)),
                layer("Softmax dim 1", new Softmax(1), shape(3, 4)),
                layer("Flatten", new Flatten(), shape(2, 3, 2)),
                layer("Identity", new Identity(), shape(2, 3)),
                layer("MLP tanh", new MLP(new int[] {4, 5, 3}, Tanh::new, rng), shape(2, 4)),
                layer("MLP gelu 3-D", new MLP(new int[] {3, 4, 4, 2}, GELU::new, rng), shape(2, 2, 3)),
                layer("Sequential", new Sequential(new Linear(4, 5, rng), new LayerNorm(5), new SiLU(),
                        new Linear(5, 2, rng), new Sigmoid()), shape(3, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(GradCheckCases.Case c) {
        c.check();
    }

    @Test
    void dropoutGradientIsTheMaskScaledByOneOverKeep() {
        float p = 0.4f;
        Tensor x = Tensor.randn(new Rng(1), 6, 7).requiresGrad(true);
        Tensor y = new Dropout(p, new Rng(9)).forward(x);
        y.sum().backward();

        Tensor mask = Tensor.bernoulli(new Rng(9), 1 - p, 6, 7);
        float[] expectedGrad = new float[mask.numel()];
        float[] expectedY = new float[mask.numel()];
        for (int i = 0; i < expectedGrad.length; i++) {
            expectedGrad[i] = mask.data()[i] / (1 - p);
            expectedY[i] = x.data()[i] * mask.data()[i] / (1 - p);
        }
        assertClose(Tensor.wrap(expectedY, 6, 7), y, 1e-6);
        assertClose(Tensor.wrap(expectedGrad, 6, 7), x.grad(), 1e-6);
    }

    @Test
    void batchNormTrainingGradientSeesTheBatchMeanDependOnTheInput() {
        // sum(y) = N * sum(beta) whatever x is, so its gradient w.r.t. x is exactly 0; with the batch
        // mean treated as a constant it would be gamma / sigma instead.
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor x = Tensor.randn(new Rng(2), 6, 3).requiresGrad(true);
        bn.forward(x).sum().backward();
        for (float g : x.grad().data()) {
            assertEquals(0f, g, 1e-5f);
        }
    }
}
