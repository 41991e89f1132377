package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertIndices;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/** Tensors with no elements, and NaN flowing through the ops, behave as PyTorch's do. */
class EmptyAndNaNTest {

    @Test
    void sumOfEmptyIsZeroMeanIsNaN() {
        assertEquals(0f, Tensor.zeros(0).sum().item());
        assertEquals(0f, Tensor.zeros(2, 0).sum().item());
        assertTrue(Float.isNaN(Tensor.zeros(0).mean().item()));
        Tensor rowSums = Tensor.zeros(2, 0).sum(1);
        assertShape(rowSums, 2);
        assertValues(rowSums, 0, 0, 0);
        Tensor rowMeans = Tensor.zeros(2, 0).mean(1);
        assertValues(rowMeans, 0, Double.NaN, Double.NaN);
        assertShape(Tensor.zeros(2, 0).sum(0), 0);
        assertShape(Tensor.zeros(2, 0).sum(0, true), 1, 0);
    }

    @Test
    void maxOfEmptyThrowsAClearError() {
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).max());
        assertTrue(all.getMessage().contains("max") && all.getMessage().contains("empty"), all.getMessage());
        IllegalArgumentException min = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).min());
        assertTrue(min.getMessage().contains("min") && min.getMessage().contains("[2, 0]"), min.getMessage());
        IllegalArgumentException alongEmpty = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 0).max(1));
        assertTrue(alongEmpty.getMessage().contains("empty"), alongEmpty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).argmax());
        // reducing a non-empty dimension of an empty tensor is fine: nothing to compare
        assertShape(Tensor.zeros(0, 3).max(1), 0);
    }

    @Test
    void elementwiseOpsAndReshapeWorkOnEmptyTensors() {
        Tensor e = Tensor.zeros(2, 0);
        List<UnaryOperator<Tensor>> ops = List.of(Tensor::exp, Tensor::relu, Tensor::neg, Tensor::gelu,
                t -> t.add(1f), t -> t.mul(t), t -> t.add(Tensor.zeros(0)), t -> t.add(Tensor.zeros(2, 1)),
                t -> t.clamp(0, 1), t -> t.maximum(Tensor.scalar(0)), t -> t.softmax(1), t -> t.transpose(0, 1),
                t -> t.unsqueeze(0), t -> t.reshape(0, 5), t -> t.reshape(-1, 2));
        for (UnaryOperator<Tensor> op : ops) {
            Tensor out = op.apply(e);
            assertEquals(0, out.numel());
        }
        assertShape(e.reshape(0), 0);
        assertShape(e.reshape(5, 0, 3), 5, 0, 3);
        assertShape(e.add(Tensor.zeros(2, 1)), 2, 0);
        assertShape(e.transpose(0, 1), 0, 2);
        assertShape(Tensor.cat(List.of(Tensor.zeros(0), Tensor.vector(1, 2)), 0), 2);
    }

    @Test
    void softmaxFamilyOverAnEmptyDimension() {
        // PyTorch: logsumexp over nothing is log(0) = -inf; softmax over nothing is empty
        Tensor e = Tensor.zeros(2, 0);
        assertValues(e.logsumexp(1, false), 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertShape(e.logsumexp(1, true), 2, 1);
        assertShape(e.softmax(1), 2, 0);
        assertShape(e.logSoftmax(1), 2, 0);
        assertShape(e.softmax(0), 2, 0);
    }

    @Test
    void emptyTensorsBackpropagate() {
        Tensor e = Tensor.zeros(2, 0).requiresGrad(true);
        Tensor w = Tensor.vector(1, 2).requiresGrad(true);
        e.exp().sum().add(w.sum()).backward();
        assertShape(e.grad(), 2, 0);
        assertValues(w.grad(), 0, 1, 1);
    }

    @Test
    void matmulOverAnEmptyInnerDimensionIsZero() {
        Tensor c = Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3));
        assertShape(c, 2, 3);
        assertValues(c, 0, new float[6]);
    }

    @Test
    void nanPropagatesThroughElementwiseOps() {
        Tensor x = Tensor.vector(Float.NaN, 1);
        List<UnaryOperator<Tensor>> ops = List.of(t -> t.add(1f), t -> t.mul(0f), t -> t.sub(t), t -> t.div(2f),
                Tensor::neg, Tensor::exp, Tensor::log, Tensor::sqrt, Tensor::abs, t -> t.pow(2f), Tensor::tanh,
                Tensor::sigmoid, Tensor::relu, t -> t.leakyRelu(0.1f), Tensor::gelu, Tensor::geluTanh, Tensor::silu,
                Tensor::sin, Tensor::cos, t -> t.clamp(-1, 1), t -> t.maximum(Tensor.scalar(5)),
                t -> t.minimum(Tensor.scalar(-5)), t -> Tensor.scalar(5).maximum(t), t -> Tensor.scalar(-5).minimum(t));
        for (UnaryOperator<Tensor> op : ops) {
            Tensor y = op.apply(x);
            assertTrue(Float.isNaN(y.get(0)), "NaN in, NaN out: " + y);
            assertTrue(!Float.isNaN(y.get(1)), "the finite element stays finite: " + y);
        }
    }

    @Test
    void reluOfNaNIsNaN() {
        assertTrue(Float.isNaN(Tensor.vector(Float.NaN).relu().item()));
    }

    @Test
    void maxAndArgmaxPickNaN() {
        Tensor x = Tensor.vector(1, Float.NaN, 5, Float.NaN);
        assertTrue(Float.isNaN(x.max().item()));
        assertTrue(Float.isNaN(x.min().item()));
        assertEquals(1, x.argmax(), "the first NaN");
        assertEquals(1, x.argmin());
        Tensor rows = Tensor.of(new float[] {3, Float.NaN, 1, 4, 2, 0}, 2, 3);
        Tensor.ValuesAndIndices m = rows.maxWithIndices(1, false);
        assertTrue(Float.isNaN(m.values().get(0)));
        assertEquals(4f, m.values().get(1));
        assertIndices(m.indices(), 1, 0);
        Tensor firstIsNaN = Tensor.vector(Float.NaN, 7);
        assertEquals(0, firstIsNaN.argmax());
        assertTrue(Float.isNaN(firstIsNaN.max(0).item()));
    }

    @Test
    void reductionsPropagateNaN() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 2, 3}, 2, 2);
        assertTrue(Float.isNaN(x.sum().item()));
        assertValues(x.sum(1), 0, Double.NaN, 5);
        assertValues(x.mean(0), 0, 1.5, Double.NaN);
        assertValues(x.softmax(1), 1e-6, Double.NaN, Double.NaN, 1 / (1 + Math.E), Math.E / (1 + Math.E));
        assertValues(x.logsumexp(1, false), 1e-6, Double.NaN, 3 + Math.log(1 + Math.exp(-1)));
    }
}
