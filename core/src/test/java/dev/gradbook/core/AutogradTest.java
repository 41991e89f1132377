package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradbook.core.testing.GradCheckCases;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The engine's semantics: accumulation, shared uses, broadcasting, scopes, deep graphs, anomalies. */
class AutogradTest {

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor loss = x.mul(x).sum();
        loss.backward(true);
        assertValues(x.grad(), 0, 2, 4, 6);
        loss.backward();
        assertValues(x.grad(), 0, 4, 8, 12);
        x.mul(3f).sum().backward();
        assertValues(x.grad(), 0, 7, 11, 15);
    }

    @Test
    void zeroGradForgetsTheGradient() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        x.sum().backward();
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(5f).sum().backward();
        assertValues(x.grad(), 0, 5, 5);
    }

    @Test
    void aTensorUsedTwiceReceivesTheSum() {
        Tensor x = Tensor.vector(-1.5f, 0.5f, 3).requiresGrad(true);
        x.mul(x).sum().backward();
        assertValues(x.grad(), 0, -3, 1, 6);
        // and through two separate branches that meet again: d(x*2 + x^3)/dx = 2 + 3x^2
        Tensor y = Tensor.vector(1, 2).requiresGrad(true);
        Tensor a = y.mul(2f);
        Tensor b = y.pow(3f);
        a.add(b).sum().backward();
        assertValues(y.grad(), 1e-6, 5, 14);
    }

    @Test
    void intermediateResultUsedTwiceIsDifferentiatedOnce() {
        // h = 3x is used twice: L = h*h + h, dL/dx = 3 (2h + 1)
        Tensor x = Tensor.vector(1, -2).requiresGrad(true);
        Tensor h = x.mul(3f);
        h.mul(h).add(h).sum().backward(true);
        assertValues(x.grad(), 1e-6, 21, -33);
        // a second pass gives the same contribution again, not a stale intermediate gradient
        h.mul(h).add(h).sum().backward();
        assertValues(x.grad(), 1e-6, 42, -66);
    }

    @Test
    void broadcastGradientsAreSummedToTheInputShape() {
        Tensor a = Tensor.ones(2, 3).requiresGrad(true);
        Tensor row = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor col = Tensor.of(new float[] {1, 2}, 2, 1).requiresGrad(true);
        Tensor s = Tensor.scalar(2).requiresGrad(true);
        a.mul(row).add(col).mul(s).sum().backward();
        assertShape(row.grad(), 3);
        assertShape(col.grad(), 2, 1);
        assertShape(s.grad(), new int[0]);
        assertValues(row.grad(), 0, 4, 4, 4);
        assertValues(col.grad(), 0, 6, 6);
        // dL/ds = sum(a*row + col) = 2*6 + 3*3
        assertValues(s.grad(), 0, 21);
        Tensor b = Tensor.ones(2, 1, 3).requiresGrad(true);
        Tensor c = Tensor.ones(4, 3).requiresGrad(true);
        b.add(c).sum().backward();
        assertValues(b.grad(), 0, 4, 4, 4, 4, 4, 4);
        assertValues(c.grad(), 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2);
    }

    @Test
    void detachStopsGradients() {
        Tensor x = Tensor.vector(2, 3).requiresGrad(true);
        Tensor frozen = x.mul(x).detach();
        assertTrue(frozen.isLeaf());
        assertFalse(frozen.requiresGrad());
        x.mul(frozen).sum().backward();
        assertValues(x.grad(), 0, 4, 9);
        assertValues(frozen, 0, 4, 9);
    }

    @Test
    void requiresGradOnANonLeafThrows() {
        Tensor y = Tensor.vector(1).requiresGrad(true).mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(true));
        assertTrue(e.getMessage().contains("mul"), e.getMessage());
        assertTrue(y.detach().requiresGrad(true).requiresGrad(), "a detached copy is a fresh leaf");
    }

    @Test
    void leavesAndOpsAreLabelled() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        assertTrue(x.isLeaf());
        assertNull(x.op());
        Tensor y = x.exp();
        assertFalse(y.isLeaf());
        assertEquals("exp", y.op());
        Tensor constant = Tensor.vector(1, 2).exp();
        assertTrue(constant.isLeaf(), "nothing required a gradient, so nothing was recorded");
        assertFalse(constant.requiresGrad());
    }

    @Test
    void noGradScopeRecordsNothingAndRestores() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        assertTrue(Autograd.isGradEnabled());
        try (Autograd.Scope outer = Autograd.noGrad()) {
            Tensor y = x.mul(2f).exp();
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
            assertNull(y.op());
            try (Autograd.Scope inner = Autograd.noGrad()) {
                assertFalse(Autograd.isGradEnabled());
            }
            assertFalse(Autograd.isGradEnabled(), "closing the inner scope restores the outer one");
            try (Autograd.Scope on = Autograd.enableGrad()) {
                assertTrue(x.mul(2f).requiresGrad(), "enableGrad records inside noGrad");
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        assertTrue(x.mul(2f).requiresGrad());
    }

    @Test
    void noGradScopeIsThreadConfined() throws InterruptedException {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        AtomicReference<Boolean> otherThreadRecorded = new AtomicReference<>();
        try (Autograd.Scope scope = Autograd.noGrad()) {
            Thread other = new Thread(() -> otherThreadRecorded.set(x.mul(2f).requiresGrad()));
            other.start();
            other.join();
            assertFalse(x.mul(2f).requiresGrad());
        }
        assertEquals(Boolean.TRUE, otherThreadRecorded.get(), "another thread still records");
    }

    @Test
    void backwardWithAnExplicitGradient() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor y = x.mul(x);
        y.backward(Tensor.vector(1, 0.5f, -1));
        assertValues(x.grad(), 0, 2, 2, -6);
        Tensor seed = Tensor.vector(1, 1, 1);
        x.zeroGrad();
        x.mul(2f).backward(seed);
        x.mul(2f).backward(seed);
        assertValues(seed, 0, 1, 1, 1);
        assertValues(x.grad(), 0, 4, 4, 4);
    }

    @Test
    void backwardOnANonScalarNeedsAGradient() {
        Tensor y = Tensor.vector(1, 2).requiresGrad(true).mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class,
                () -> y.backward(Tensor.vector(1, 2, 3)));
        assertTrue(wrongShape.getMessage().contains("[3]") && wrongShape.getMessage().contains("[2]"),
                wrongShape.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensor.scalar(1).backward(),
                "a tensor outside any graph has nothing to back-propagate");
    }

    @Test
    void backwardOnALeafAndOnAOneElementTensor() {
        Tensor x = Tensor.scalar(3).requiresGrad(true);
        x.backward();
        assertValues(x.grad(), 0, 1);
        Tensor m = Tensor.of(new float[] {2}, 1, 1).requiresGrad(true);
        m.mul(m).backward();
        assertValues(m.grad(), 0, 4);
    }

    @Test
    void inputsThatDoNotRequireGradGetNone() {
        Tensor w = Tensor.vector(1, 2).requiresGrad(true);
        Tensor data = Tensor.vector(3, 4);
        w.mul(data).sum().backward();
        assertNull(data.grad());
        assertNotNull(w.grad());
    }

    /** A chain of 100,000 ops, backpropagated on a thread with a 512 KiB stack. */
    @Test
    void deepChainDoesNotOverflowTheStack() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Tensor> gradient = new AtomicReference<>();
        Runnable chain = () -> {
            try {
                Tensor x = Tensor.vector(1, 2).requiresGrad(true);
                Tensor y = x;
                for (int i = 0; i < 100_000; i++) {
                    y = i % 2 == 0 ? y.add(1f) : y.mul(1f);
                }
                y.sum().backward();
                gradient.set(x.grad());
            } catch (Throwable t) {
                failure.set(t);
            }
        };
        Thread deep = new Thread(null, chain, "deep", 512 * 1024);
        deep.start();
        deep.join();
        if (failure.get() != null) {
            throw new AssertionError("backward through 100,000 ops failed on a 512k stack", failure.get());
        }
        assertValues(gradient.get(), 0, 1, 1);
    }

    @Test
    void detectAnomalyNamesTheForwardOp() {
        Tensor x = Tensor.vector(1, -1).requiresGrad(true);
        try (Autograd.Scope scope = Autograd.detectAnomaly()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> x.exp().neg().log());
            assertTrue(e.getMessage().contains("'log'"), e.getMessage());
        }
        assertFalse(Autograd.isAnomalyDetectionEnabled());
        assertTrue(Float.isNaN(x.log().get(1)), "without the scope, log(-1) is NaN silently");
    }

    @Test
    void detectAnomalyNamesTheBackwardOp() {
        // sqrt(0) = 0 is fine, its derivative 1 / (2 sqrt 0) is not
        Tensor x = Tensor.vector(0, 4).requiresGrad(true);
        try (Autograd.Scope scope = Autograd.detectAnomaly()) {
            Tensor loss = x.sqrt().mul(3f).sum();
            ArithmeticException e = assertThrows(ArithmeticException.class, loss::backward);
            assertTrue(e.getMessage().contains("'sqrt'"), e.getMessage());
            assertTrue(e.getMessage().contains("backward"), e.getMessage());
        }
    }

    @Test
    void detectAnomalyAcceptsNonFiniteInputs() {
        // the op that made the first NaN is the culprit, not everything downstream of it
        Tensor x = Tensor.vector(Float.NaN, 1);
        try (Autograd.Scope scope = Autograd.detectAnomaly()) {
            assertTrue(Float.isNaN(x.exp().get(0)));
        }
    }

    @Test
    void detectAnomalyAllowsADeliberateInfiniteMask() {
        // attention masks fill with -inf on purpose; softmax then gives those positions 0
        Tensor scores = Tensor.randn(new Rng(3), 3, 3).requiresGrad(true);
        Tensor upper = Tensor.of(new float[] {0, 1, 1, 0, 0, 1, 0, 0, 0}, 3, 3);
        try (Autograd.Scope scope = Autograd.detectAnomaly()) {
            Tensor p = scores.maskedFill(upper, Float.NEGATIVE_INFINITY).softmax(-1);
            assertEquals(0f, p.get(0, 2));
            p.mul(Tensor.arange(9).reshape(3, 3)).sum().backward();
        }
        assertFalse(scores.grad().hasNonFinite());
        assertValues(scores.grad().select(0, 0), 0, 0, 0, 0);
    }

    @Test
    void detectAnomalyIsThreadConfined() throws InterruptedException {
        AtomicReference<Float> otherThread = new AtomicReference<>();
        try (Autograd.Scope scope = Autograd.detectAnomaly()) {
            Thread other = new Thread(() -> otherThread.set(Tensor.vector(-1).log().item()));
            other.start();
            other.join();
        }
        assertTrue(Float.isNaN(otherThread.get()), "the other thread computed log(-1) = NaN without checks");
    }

    /** {@code x^3 + b} (b broadcast along rows) written with loops, as a layer outside core would. */
    private static Tensor customCubePlusBias(Tensor x, Tensor b) {
        int cols = b.numel();
        float[] out = new float[x.numel()];
        for (int i = 0; i < out.length; i++) {
            float v = x.data()[i];
            out[i] = v * v * v + b.data()[i % cols];
        }
        // d/dx = 3 x^2; d/db = 1, returned at the output's shape and summed back by the engine
        return Autograd.customOp("cubePlusBias", Tensor.wrap(out, x.shape()),
                g -> new Tensor[] {g.mul(x.square()).mul(3f), g}, x, b);
    }

    @Test
    void customOpGradientsMatchFiniteDifferences() {
        GradCheckCases.grad("customOp", in -> customCubePlusBias(in[0], in[1]), GradCheckCases.shape(2, 3),
                GradCheckCases.shape(3)).check();
        Tensor x = Tensor.vector(1, 2).reshape(1, 2).requiresGrad(true);
        Tensor b = Tensor.vector(5, 5);
        Tensor y = customCubePlusBias(x, b);
        assertEquals("cubePlusBias", y.op());
        assertValues(y, 0, 6, 13);
        y.sum().backward();
        assertValues(x.grad(), 0, 3, 12);
        assertNull(b.grad(), "b did not ask for a gradient");
    }

    @Test
    void customOpChecksItsArguments() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        assertThrows(IllegalArgumentException.class,
                () -> Autograd.customOp("reuse", x.mul(2f), g -> new Tensor[] {g}, x),
                "the output must be a fresh tensor, not one already in a graph");
        Tensor y = Autograd.customOp("wrongCount", Tensor.vector(3, 4), g -> new Tensor[] {g, g}, x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("wrongCount"), e.getMessage());
        Tensor z = Autograd.customOp("noGradient", Tensor.vector(3, 4), g -> new Tensor[] {null}, x);
        z.sum().backward();
        assertNull(x.grad(), "a null gradient means none");
    }

    @Test
    void gradientOfGradientFreeOpsInsideBackwardIsNotRecorded() {
        // backward runs with recording off, so gradients are plain leaves
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        x.exp().sum().backward();
        assertTrue(x.grad().isLeaf());
        assertFalse(x.grad().requiresGrad());
        assertTrue(Autograd.isGradEnabled(), "backward restores recording afterwards");
    }
}
