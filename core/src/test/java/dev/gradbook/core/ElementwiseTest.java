package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradbook.core.testing.Reference;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forward values of the elementwise ops against loops over coordinates and closed forms. */
class ElementwiseTest {

    private static final double TOL = 1e-6;

    /** Pairs of shapes that broadcast, including both directions, scalars and empty results. */
    static Stream<Arguments> broadcastPairs() {
        return Stream.of(
                Arguments.of(new int[] {2, 3}, new int[] {2, 3}),
                Arguments.of(new int[] {2, 3}, new int[] {3}),
                Arguments.of(new int[] {3}, new int[] {2, 3}),
                Arguments.of(new int[] {2, 3}, new int[] {2, 1}),
                Arguments.of(new int[] {2, 1, 3}, new int[] {4, 3}),
                Arguments.of(new int[] {4, 1}, new int[] {2, 1, 5}),
                Arguments.of(new int[] {2, 3}, new int[] {}),
                Arguments.of(new int[] {}, new int[] {2, 3}),
                Arguments.of(new int[] {1}, new int[] {}),
                Arguments.of(new int[] {3, 1, 2, 1}, new int[] {1, 4, 1, 5}));
    }

    @ParameterizedTest
    @MethodSource("broadcastPairs")
    void binaryOpsBroadcastLikeNumPy(int[] as, int[] bs) {
        Rng rng = new Rng(7);
        Tensor a = Tensor.randn(rng, as);
        Tensor b = Tensor.uniform(rng, 0.5f, 2f, bs);
        int[] expectedShape = Reference.broadcastShape(as, bs);
        check(a.add(b), expectedShape, Reference.zip(a, b, (x, y) -> x + y));
        check(a.sub(b), expectedShape, Reference.zip(a, b, (x, y) -> x - y));
        check(a.mul(b), expectedShape, Reference.zip(a, b, (x, y) -> x * y));
        check(a.div(b), expectedShape, Reference.zip(a, b, (x, y) -> x / y));
        check(a.maximum(b), expectedShape, Reference.zip(a, b, Math::max));
        check(a.minimum(b), expectedShape, Reference.zip(a, b, Math::min));
        check(a.gt(b), expectedShape, Reference.zip(a, b, (x, y) -> x > y ? 1 : 0));
        check(a.le(b), expectedShape, Reference.zip(a, b, (x, y) -> x <= y ? 1 : 0));
    }

    private static void check(Tensor actual, int[] shape, float[] expected) {
        assertShape(actual, shape);
        assertValues(actual, TOL, expected);
    }

    @Test
    void broadcastOfRowAndColumnIsAnOuterSum() {
        Tensor col = Tensor.of(new float[] {10, 20}, 2, 1);
        Tensor row = Tensor.vector(1, 2, 3);
        Tensor sum = col.add(row);
        assertShape(sum, 2, 3);
        assertValues(sum, 0, 11, 12, 13, 21, 22, 23);
        assertValues(row.sub(col), 0, -9, -8, -7, -19, -18, -17);
    }

    @Test
    void scalarFormsMatchTensorForms() {
        Tensor x = Tensor.of(new float[] {-2, 0.5f, 4}, 3);
        assertValues(x.add(1.5f), 0, -0.5, 2, 5.5);
        assertValues(x.sub(1f), 0, -3, -0.5, 3);
        assertValues(x.mul(-2f), 0, 4, -1, -8);
        assertValues(x.div(4f), 0, -0.5, 0.125, 1);
        assertShape(Tensor.scalar(3f).add(1f), new int[0]);
    }

    static Stream<Arguments> unaryOps() {
        return Stream.of(
                unary("neg", Tensor::neg, x -> -x, false),
                unary("exp", Tensor::exp, Math::exp, false),
                unary("log", Tensor::log, Math::log, true),
                unary("sqrt", Tensor::sqrt, Math::sqrt, true),
                unary("abs", Tensor::abs, Math::abs, false),
                unary("square", Tensor::square, x -> x * x, false),
                unary("pow 3", t -> t.pow(3f), x -> x * x * x, false),
                unary("pow 0.5", t -> t.pow(0.5f), Math::sqrt, true),
                unary("pow -1", t -> t.pow(-1f), x -> 1 / x, true),
                unary("tanh", Tensor::tanh, Math::tanh, false),
                unary("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), false),
                unary("relu", Tensor::relu, x -> x > 0 ? x : 0, false),
                unary("leakyRelu", t -> t.leakyRelu(0.2f), x -> x > 0 ? x : 0.2 * x, false),
                unary("silu", Tensor::silu, x -> x / (1 + Math.exp(-x)), false),
                unary("sin", Tensor::sin, Math::sin, false),
                unary("cos", Tensor::cos, Math::cos, false),
                unary("clamp", t -> t.clamp(-0.5f, 1f), x -> Math.min(1, Math.max(-0.5, x)), false));
    }

    private static Arguments unary(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator reference,
                                   boolean positiveOnly) {
        return Arguments.of(name, op, reference, positiveOnly);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryOpsMatchJavaMath(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator reference,
                               boolean positiveOnly) {
        float low = positiveOnly ? 0.1f : -4f;
        Tensor x = Tensor.uniform(new Rng(3), low, positiveOnly ? 5f : 4f, 4, 5);
        Tensor y = op.apply(x);
        assertShape(y, 4, 5);
        double[] expected = new double[x.numel()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = reference.applyAsDouble(x.data()[i]);
        }
        assertValues(y, 2e-6, expected);
        assertFalse(x.requiresGrad() || y.requiresGrad(), name + ": nothing asked for a gradient");
    }

    @Test
    void geluMatchesTheGaussianCdf() {
        // x * Phi(x), Phi from math.erf in double precision
        Tensor y = Tensor.vector(1, -1, 2, -3, 0.5f, 0).gelu();
        assertValues(y, 1e-6, 0.8413447460685429, -0.15865525393145707, 1.9544997361036416,
                -0.00404969409489031, 0.34573123063700656, 0);
    }

    @Test
    void geluTanhMatchesGpt2Formula() {
        // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), in double precision
        Tensor y = Tensor.vector(1, -1, 2, -3, 0.5f).geluTanh();
        assertValues(y, 1e-6, 0.8411919906082768, -0.15880800939172324, 1.954597694087775,
                -0.0036373920817729943, 0.34571400982514394);
    }

    @Test
    void sigmoidAndTanhSaturateWithoutNaN() {
        Tensor x = Tensor.vector(-1000, -100, 100, 1000);
        assertValues(x.sigmoid(), 1e-7, 0, 3.720076e-44, 1, 1);
        assertValues(x.tanh(), 0, -1, -1, 1, 1);
        assertValues(x.silu(), 1e-6, 0, -3.720076e-42, 100, 1000);
        assertValues(Tensor.vector(-30, 30).gelu(), 1e-6, 0, 30);
    }

    @Test
    void reluAndLeakyReluValues() {
        assertValues(Tensor.vector(-3, -0f, 0, 2).relu(), 0, 0, 0, 0, 2);
        assertValues(Tensor.vector(-3, 2).leakyRelu(0.01f), 1e-7, -0.03, 2);
    }

    @Test
    void clampRejectsAnEmptyRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.vector(1).clamp(1f, 0f));
        assertTrue(e.getMessage().contains("clamp"), e.getMessage());
    }

    @Test
    void whereAndMaskedFillMatchLoops() {
        Tensor mask = Tensor.of(new float[] {1, 0, 0, 1, 1, 0}, 2, 3);
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.vector(-1, -2, -3);
        assertValues(Tensor.where(mask, a, b), 0, 1, -2, -3, 4, 5, -3);
        // the mask itself broadcasts
        Tensor rowMask = Tensor.vector(0, 1, 0);
        assertValues(Tensor.where(rowMask, a, b), 0, -1, 2, -3, -1, 5, -3);
        assertValues(Tensor.where(rowMask, Tensor.scalar(7), Tensor.scalar(8)), 0, 8, 7, 8);
        assertValues(a.maskedFill(mask, -9f), 0, -9, 2, 3, -9, -9, 6);
        assertValues(a.maskedFill(rowMask.reshape(1, 3), Float.NEGATIVE_INFINITY), 0,
                1, Double.NEGATIVE_INFINITY, 3, 4, Double.NEGATIVE_INFINITY, 6);
    }

    @Test
    void comparisonsAreConstantMasks() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor y = Tensor.vector(3, 2, 1);
        assertValues(x.gt(y), 0, 0, 0, 1);
        assertValues(x.ge(y), 0, 0, 1, 1);
        assertValues(x.lt(y), 0, 1, 0, 0);
        assertValues(x.le(y), 0, 1, 1, 0);
        assertValues(x.eq(y), 0, 0, 1, 0);
        assertValues(x.ne(y), 0, 1, 0, 1);
        assertValues(x.gt(1.5f), 0, 0, 1, 1);
        assertValues(x.lt(1.5f), 0, 1, 0, 0);
        assertValues(x.eq(2f), 0, 0, 1, 0);
        Tensor mask = x.gt(y);
        assertFalse(mask.requiresGrad(), "a comparison has no gradient");
        assertNull(mask.op());
    }

    @Test
    void maximumSplitsTheGradientOnTies() {
        // PyTorch's convention: equal inputs share the gradient evenly
        Tensor a = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor b = Tensor.vector(1, 5, 0).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertValues(a.grad(), 0, 0.5, 0, 1);
        assertValues(b.grad(), 0, 0.5, 1, 0);
        a.zeroGrad();
        b.zeroGrad();
        a.minimum(b).sum().backward();
        assertValues(a.grad(), 0, 0.5, 1, 0);
        assertValues(b.grad(), 0, 0.5, 0, 1);
    }

    @Test
    void derivativesAtKinksFollowPyTorch() {
        Tensor x = Tensor.vector(0, 0, 0).requiresGrad(true);
        x.relu().sum().backward();
        assertValues(x.grad(), 0, 0, 0, 0);
        x.zeroGrad();
        x.abs().sum().backward();
        assertValues(x.grad(), 0, 0, 0, 0);
        Tensor base = Tensor.vector(0, 2).requiresGrad(true);
        base.pow(0f).sum().backward();
        assertValues(base.grad(), 0, 0, 0);
        Tensor edges = Tensor.vector(-1, 1, 2).requiresGrad(true);
        edges.clamp(-1, 1).sum().backward();
        assertValues(edges.grad(), 0, 1, 1, 0);
    }

    @Test
    void inputsAreNotModified() {
        Tensor a = Tensor.vector(1, -2, 3);
        Tensor b = Tensor.vector(4, 5, 6);
        a.add(b).mul(b).sub(a).div(b).exp().relu().maximum(b).sigmoid().clamp(0, 1);
        a.neg().abs().sqrt().log().tanh().gelu().silu().pow(3f).maskedFill(b.gt(4.5f), 0f);
        assertValues(a, 0, 1, -2, 3);
        assertValues(b, 0, 4, 5, 6);
    }
}
