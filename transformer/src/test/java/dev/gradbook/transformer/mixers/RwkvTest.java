package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RwkvTest {
    @Test
    void parallelEquationAndRnnModeAgree() {
        RwkvTimeMixing mix = new RwkvTimeMixing(8, new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 2, 10, 8);
        assertTrue(mix.forward(x).allClose(mix.forwardRecurrent(x), 1e-4f, 1e-5f));
    }

    @Test
    void wkvMatchesEquation14WrittenAsLoopsInDoubles() {
        // one channel, weights chosen so that r = k = v = x: then o = W_o(σ(x) ⊙ wkv)
        int c = 1;
        RwkvTimeMixing mix = new RwkvTimeMixing(c, new Rng(1));
        var p = mix.namedParameters();
        try (var noGrad = Autograd.noGrad()) {
            p.get("muR").fillInPlace(1);
            p.get("muK").fillInPlace(1);
            p.get("muV").fillInPlace(1);
            p.get("wR.weight").fillInPlace(1);
            p.get("wK.weight").fillInPlace(1);
            p.get("wV.weight").fillInPlace(1);
            p.get("wO.weight").fillInPlace(1);
            p.get("wLog").fillInPlace((float) Math.log(0.7));
            p.get("u").fillInPlace(0.3f);
        }
        double[] xs = {0.5, -1.0, 0.25, 2.0};
        float[] xf = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xf[i] = (float) xs[i];
        }
        Tensor out = mix.forward(Tensor.of(xf, 1, xs.length, 1));
        for (int t = 0; t < xs.length; t++) {
            double num = Math.exp(0.3 + xs[t]) * xs[t];
            double den = Math.exp(0.3 + xs[t]);
            for (int i = 0; i < t; i++) {
                double weight = Math.exp(-(t - 1 - i) * 0.7 + xs[i]);
                num += weight * xs[i];
                den += weight;
            }
            double expected = num / den / (1 + Math.exp(-xs[t]));
            assertEquals(expected, out.get(0, t, 0), 1e-5, "position " + t);
        }
    }

    @Test
    void stateStaysTheSameSize() {
        RwkvTimeMixing mix = new RwkvTimeMixing(8, new Rng(1));
        RwkvTimeMixing.State s = mix.initialState(1);
        for (int t = 0; t < 30; t++) {
            mix.step(Tensor.randn(new Rng(t), 1, 1, 8), s);
        }
        assertEquals(3 * 8, s.floats());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RwkvTimeMixing time = new RwkvTimeMixing(4, new Rng(3));
        RwkvChannelMixing channel = new RwkvChannelMixing(4, 8, new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 2, 5, 4).mul(0.5f).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> channel.forward(time.forward(in[0])), 1e-2, 3e-2, 2e-3, x);
        assertTrue(r.passed(), r.toString());
        Tensor w = time.namedParameters().get("wLog");
        GradCheck.Report rw = GradCheck.check(in -> time.forward(x.detach()), 1e-2, 3e-2, 2e-3, w);
        assertTrue(rw.passed(), rw.toString());
    }

    @Test
    void wrongShapesAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new RwkvTimeMixing(8, new Rng(1)).forward(Tensor.zeros(2, 8)));
        assertThrows(IllegalArgumentException.class, () -> new RwkvChannelMixing(8, 16, new Rng(1)).forward(Tensor.zeros(1, 2, 4)));
    }
}
