package dev.gradbook.nn.conv;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv1dTest {

    /** y[n,o,t] = b[o] + sum W[o,c,u] x[n,c,t*s-p+u], with plain loops. */
    static Tensor naiveConv1d(Tensor x, Tensor w, Tensor b, int s, int p) {
        int n = x.size(0), c = x.size(1), len = x.size(2), o = w.size(0), k = w.size(2);
        int outL = (len + 2 * p - k) / s + 1;
        Tensor y = Tensor.zeros(n, o, outL);
        for (int bi = 0; bi < n; bi++) {
            for (int oc = 0; oc < o; oc++) {
                for (int t = 0; t < outL; t++) {
                    double sum = b == null ? 0 : b.get(oc);
                    for (int ic = 0; ic < c; ic++) {
                        for (int u = 0; u < k; u++) {
                            int at = t * s - p + u;
                            if (at >= 0 && at < len) {
                                sum += w.get(oc, ic, u) * x.get(bi, ic, at);
                            }
                        }
                    }
                    y.setInPlace((float) sum, bi, oc, t);
                }
            }
        }
        return y;
    }

    @Test
    void aMovingDifferenceByHand() {
        Conv1d conv = new Conv1d(1, 1, 2, 1, 0, false, new Rng(0));
        try (var noGrad = Autograd.noGrad()) {
            conv.weight.copyInPlace(Tensor.vector(-1, 1)); // y[t] = x[t+1] - x[t]
        }
        assertValues(conv.forward(Tensor.of(new float[] {1, 4, 9, 16}, 1, 1, 4)), 0, 3, 5, 7);
    }

    @Test
    void matchesTheDirectLoops() {
        Rng rng = new Rng(1);
        int[][] ksp = {{3, 1, 0}, {3, 1, 1}, {4, 2, 1}, {5, 3, 2}, {1, 1, 0}};
        for (int[] g : ksp) {
            Conv1d conv = new Conv1d(3, 2, g[0], g[1], g[2], true, rng);
            Tensor x = Tensor.randn(rng, 2, 3, 9);
            Tensor y = conv.forward(x);
            assertShape(y, 2, 2, (9 + 2 * g[2] - g[0]) / g[1] + 1);
            assertClose(naiveConv1d(x, conv.weight, conv.bias, g[1], g[2]), y, 1e-5);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        Conv1d conv = new Conv1d(2, 3, 3, 2, 1, true, rng);
        Tensor x = Tensor.randn(rng, 2, 2, 7).requiresGrad(true);
        assertGradients("Conv1d k=3 s=2 p=1", in -> conv.forward(in[0]), x, conv.weight, conv.bias);
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        Conv1d conv = new Conv1d(4, 2, 3, new Rng(0));
        var rank = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(1, 4, 5, 5)));
        assertTrue(rank.getMessage().contains("Conv1d") && rank.getMessage().contains("[1, 4, 5, 5]"), rank.getMessage());
        var channels = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(2, 3, 10)));
        assertTrue(channels.getMessage().contains("4 input channels") && channels.getMessage().contains("[2, 3, 10]"),
                channels.getMessage());
        var shortInput = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(2, 4, 2)));
        assertTrue(shortInput.getMessage().contains("Conv1d"), shortInput.getMessage());
    }
}
