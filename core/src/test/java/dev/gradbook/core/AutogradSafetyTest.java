package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The cases where a silent answer would be a wrong gradient, and where PyTorch raises instead:
 * values saved for backward and written in place since, a second backward through a freed
 * graph, and in-place writes to tensors whose gradient is being recorded.
 */
class AutogradSafetyTest {

    @Test
    void backwardThroughAnInputWrittenInPlaceSinceTheForwardThrows() {
        // loss = w * x: dloss/dw = x as it was at forward time (2), not as it is now (12)
        Tensor w = Tensor.scalar(3).requiresGrad(true);
        Tensor x = Tensor.scalar(2);
        Tensor loss = w.mul(x);
        x.addInPlace(Tensor.scalar(10));
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("'mul'") && e.getMessage().contains("shape []"), e.getMessage());
        assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
        assertNull(w.grad(), "nothing was accumulated");
    }

    @Test
    void backwardThroughAParameterUpdatedUnderNoGradThrows() {
        Tensor w = Tensor.vector(1, 2).requiresGrad(true);
        Tensor x = Tensor.vector(3, 4).requiresGrad(true);
        Tensor loss = w.mul(x).sum();
        try (var ignored = Autograd.noGrad()) {
            w.addInPlace(Tensor.vector(1, 1), -0.1f); // an optimizer step before backward
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("'mul'") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void aWriteThroughAReshapedViewCountsAsAWriteToItsStorage() {
        Tensor w = Tensor.vector(1, 2, 3, 4).requiresGrad(true);
        Tensor x = Tensor.vector(1, 1, 1, 1);
        Tensor loss = w.mul(x).sum();
        x.reshape(2, 2).fillInPlace(5f);
        assertThrows(IllegalStateException.class, loss::backward);
        // the same through detach(), which shares storage too
        Tensor y = Tensor.vector(1, 1, 1, 1);
        Tensor loss2 = w.mul(y).sum();
        y.detach().setInPlace(7f, 0);
        assertThrows(IllegalStateException.class, loss2::backward);
    }

    @Test
    void anOutputSavedForBackwardAndWrittenInPlaceThrows() {
        // exp's backward reads its own output
        Tensor x = Tensor.vector(0, 1).requiresGrad(true);
        Tensor y = x.exp();
        try (var ignored = Autograd.noGrad()) {
            y.mulInPlace(2f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.backward(Tensor.ones(2)));
        assertTrue(e.getMessage().contains("'exp'") && e.getMessage().contains("output"), e.getMessage());
    }

    @Test
    void writesBeforeTheForwardPassAreFine() {
        Tensor w = Tensor.vector(1, 2).requiresGrad(true);
        Tensor x = Tensor.vector(3, 4);
        x.addInPlace(Tensor.vector(1, 1));
        w.mul(x).sum().backward();
        assertValues(w.grad(), 0, 4, 5);
    }

    @Test
    void aSecondBackwardThroughTheSameGraphThrows() {
        // silently it would double the gradient: 3 -> 6
        Tensor x = Tensor.scalar(2).requiresGrad(true);
        Tensor loss = x.mul(3f);
        loss.backward();
        assertValues(x.grad(), 0, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("'mul'") && e.getMessage().contains("backward(true)"), e.getMessage());
        assertValues(x.grad(), 0, 3);
    }

    @Test
    void aSecondBackwardThroughASharedPartOfAFreedGraphThrows() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        Tensor h = x.mul(3f);
        h.sum().backward();
        assertThrows(IllegalStateException.class, () -> h.mul(h).sum().backward());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = Tensor.scalar(2).requiresGrad(true);
        Tensor loss = x.mul(3f);
        loss.backward(true);
        loss.backward();
        assertValues(x.grad(), 0, 6);
        Tensor y = Tensor.vector(1, 2).requiresGrad(true);
        Tensor z = y.mul(y);
        z.backward(Tensor.vector(1, 1), true);
        z.backward(Tensor.vector(1, 1));
        assertValues(y.grad(), 0, 4, 8);
    }

    @Test
    void aFreedGraphLetsGoOfItsInputs() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        Tensor h = x.exp();
        Tensor loss = h.sum();
        loss.backward();
        assertTrue(loss.inputs().length == 0 && h.inputs().length == 0, "the graph keeps no references");
    }

    @Test
    void inPlaceWritesToATensorThatRequiresGradThrowWhileRecording() {
        Tensor w = Tensor.vector(1, 2).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.addInPlace(Tensor.vector(1, 1)));
        assertTrue(e.getMessage().contains("addInPlace") && e.getMessage().contains("leaf")
                && e.getMessage().contains("[2]") && e.getMessage().contains("noGrad"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> w.mulInPlace(2f));
        assertThrows(IllegalStateException.class, () -> w.fillInPlace(0f));
        assertThrows(IllegalStateException.class, () -> w.copyInPlace(Tensor.vector(5, 6)));
        assertThrows(IllegalStateException.class, () -> w.setInPlace(0f, 1));
        Tensor y = w.mul(2f);
        assertThrows(IllegalStateException.class, () -> y.mulInPlace(2f), "a recorded result too");
        assertValues(w, 0, 1, 2);
        try (var ignored = Autograd.noGrad()) {
            w.addInPlace(Tensor.vector(1, 1)).mulInPlace(2f);
        }
        assertValues(w, 0, 4, 6);
        Tensor plain = Tensor.vector(1, 2);
        plain.addInPlace(Tensor.vector(1, 1));
        assertValues(plain, 0, 2, 3);
    }
}
