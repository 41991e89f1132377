package dev.gradbook.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepArenaTest {

    /** A two-layer network's parameters: w1 (8, 6), b1 (8), w2 (3, 8). */
    private static Tensor[] parameters() {
        Rng rng = new Rng(7);
        return new Tensor[] {Tensor.randn(rng, 8, 6).requiresGrad(true), Tensor.randn(rng, 8).requiresGrad(true),
                Tensor.randn(rng, 3, 8).requiresGrad(true)};
    }

    /** One SGD step on a fixed batch; returns the loss. */
    private static float step(Tensor[] p, Tensor x) {
        Tensor h = x.matmulT(p[0]).add(p[1]).relu();                  // (4, 8)
        Tensor loss = h.matmulT(p[2]).pow(2f).mean().add(h.reshape(32).sum().mul(0.01f));
        for (Tensor t : p) {
            t.zeroGrad();
        }
        loss.backward();
        try (var ignored = Autograd.noGrad()) {
            for (Tensor t : p) {
                t.addInPlace(t.grad(), -0.05f);
            }
        }
        return loss.item();
    }

    @Test
    void stepsGiveTheSameBitsWithAndWithoutAnArena() {
        Tensor x = Tensor.randn(new Rng(1), 4, 6);
        Tensor[] plain = parameters();
        Tensor[] pooled = parameters();
        StepArena arena = new StepArena();
        for (int i = 0; i < 4; i++) {
            float expected = step(plain, x);
            float got;
            try (var scope = arena.open()) {
                got = step(pooled, x);
            }
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), "loss of step " + i);
        }
        for (int k = 0; k < plain.length; k++) {
            assertArrayEquals(plain[k].data(), pooled[k].data(), "parameter " + k);
            assertArrayEquals(plain[k].grad().data(), pooled[k].grad().data(), "gradient " + k);
        }
    }

    @Test
    void laterStepsReuseTheFirstStepsStorage() {
        Tensor x = Tensor.randn(new Rng(1), 4, 6);
        Tensor[] p = parameters();
        StepArena arena = new StepArena();
        try (var scope = arena.open()) {
            step(p, x);
        }
        long afterFirst = arena.pooledFloats();
        assertTrue(afterFirst > 0);
        for (int i = 0; i < 3; i++) {
            try (var scope = arena.open()) {
                step(p, x);
            }
        }
        assertEquals(afterFirst, arena.pooledFloats());
    }

    @Test
    void tensorsOfAClosedScopeCannotBeReadButLeafGradientsCan() {
        Tensor w = Tensor.randn(new Rng(2), 3, 3).requiresGrad(true);
        Tensor y;
        Tensor loss;
        try (var scope = new StepArena().open()) {
            y = w.matmul(w).relu();
            loss = y.sum();
            loss.backward(true);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, y::data);
        assertTrue(e.getMessage().contains("StepArena"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> y.reshape(9));
        assertThrows(IllegalStateException.class, () -> y.add(y));
        assertThrows(IllegalStateException.class, loss::backward);
        // d sum(relu(W W)) / dW = M W^T + W^T M, with M = [W W > 0], in doubles from the weights
        float[] v = w.data();
        double[][] m = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += (double) v[i * 3 + k] * v[k * 3 + j];
                }
                m[i][j] = s > 0 ? 1 : 0;
            }
        }
        assertNotNull(w.grad());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double g = 0;
                for (int k = 0; k < 3; k++) {
                    g += m[i][k] * v[j * 3 + k] + v[k * 3 + i] * m[k][j];
                }
                assertEquals(g, w.grad().get(i, j), 1e-5, "dW[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void scopesDoNotNest() {
        StepArena arena = new StepArena();
        try (var scope = arena.open()) {
            assertThrows(IllegalStateException.class, arena::open);
            assertThrows(IllegalStateException.class, () -> new StepArena().open());
        }
        try (var again = arena.open()) {
            assertEquals(2, Tensor.of(new float[] {1, 2}).add(Tensor.scalar(1f)).numel());
        }
    }

    @Test
    void withoutAnOpenScopeNothingIsLent() {
        float[] a = StepArena.floats(5);
        float[] b = StepArena.floats(5);
        assertTrue(a != b);
        assertArrayEquals(new float[5], a);
    }
}
