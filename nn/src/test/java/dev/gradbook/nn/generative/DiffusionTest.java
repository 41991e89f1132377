package dev.gradbook.nn.generative;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiffusionTest {
    @Test
    void linearScheduleHasHoEtAlsEndPoints() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        assertEquals(1e-4, s.beta(0), 1e-12);
        assertEquals(0.02, s.beta(999), 1e-12);
        double prod = 1;
        for (int t = 0; t < 1000; t++) {
            prod *= 1 - s.beta(t);
        }
        assertEquals(prod, s.alphaBar(999), 1e-15);
        assertTrue(s.alphaBar(999) < 1e-4, "x_T is almost pure noise");
        assertThrows(IllegalArgumentException.class, () -> new NoiseSchedule(new double[] {0.1, 1.0}));
    }

    @Test
    void closedFormMarginalMatchesTheStepByStepForwardProcess() {
        // run x_t = sqrt(alpha_t) x_(t-1) + sqrt(beta_t) z step by step on many copies of x_0 = 1.5, and
        // compare the empirical mean and variance at some steps with sqrt(alphaBar) x_0 and 1 - alphaBar
        NoiseSchedule s = NoiseSchedule.linear(100);
        int n = 40_000;
        Rng rng = new Rng(11);
        double[] x = new double[n];
        java.util.Arrays.fill(x, 1.5);
        for (int t = 0; t < 100; t++) {
            double a = Math.sqrt(s.alpha(t));
            double b = Math.sqrt(s.beta(t));
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                x[i] = a * x[i] + b * rng.nextGaussian();
                sum += x[i];
                sumSq += x[i] * x[i];
            }
            if (t == 9 || t == 49 || t == 99) {
                double mean = sum / n;
                double var = sumSq / n - mean * mean;
                assertEquals(Math.sqrt(s.alphaBar(t)) * 1.5, mean, 0.015, "mean at t=" + t);
                assertEquals(1 - s.alphaBar(t), var, 0.015, "variance at t=" + t);
                // the closed form on the same x_0 with one draw of eps
                Tensor xt = s.sample(Tensor.full(1.5f, n, 1), constant(n, t), Tensor.randn(new Rng(t), n, 1));
                assertEquals(mean, xt.mean().item(), 0.02);
                assertEquals(var, xt.var().item(), 0.02);
            }
        }
    }

    private static int[] constant(int n, int t) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, t);
        return out;
    }

    /** The exact noise predictor for data x_0 ~ N(m, v): E[eps | x_t] = sqrt(1 - ab) (x_t - sqrt(ab) m) / (ab v + 1 - ab). */
    private static NoisePredictor exactFor(NoiseSchedule s, double m, double v) {
        return (xt, t) -> {
            double ab = s.alphaBar(t);
            float scale = (float) (Math.sqrt(1 - ab) / (ab * v + 1 - ab));
            return xt.sub((float) (Math.sqrt(ab) * m)).mul(scale);
        };
    }

    @Test
    void samplersWithTheExactNoisePredictorRecoverAGaussian() {
        NoiseSchedule s = NoiseSchedule.linear(200);
        NoisePredictor exact = exactFor(s, 2.0, 0.09);
        Tensor ddpm = new DdpmSampler(s).sample(exact, new Rng(1), 20_000, 1);
        assertEquals(2.0, ddpm.mean().item(), 0.02);
        assertEquals(0.3, ddpm.std().item(), 0.03);
        // DDIM's deterministic steps map x_T ~ N(0, 1) linearly, x_0 = A x_T + B: the sampler must give the A and B
        // of that recursion in doubles; they approach (0.3, 2.0) as the steps get finer (the ODE's discretisation error)
        DdimSampler fast = new DdimSampler(s, 20);
        double[] ab20 = ddimInDoubles(s, fast.timesteps(), 2.0, 0.09);
        Tensor ddim = fast.sample(exact, new Rng(2), 20_000, 1);
        assertEquals(ab20[1], ddim.mean().item(), 0.01);
        assertEquals(ab20[0], ddim.std().item(), 0.006);
        Tensor all = new DdimSampler(s, 200).sample(exact, new Rng(3), 20_000, 1);
        assertEquals(0.3, all.std().item(), 0.015);
        assertEquals(2.0, all.mean().item(), 0.01);
        int[] tau = fast.timesteps();
        assertEquals(20, tau.length);
        assertEquals(199, tau[0]);
        assertEquals(0, tau[19]);
    }

    /** {@code (A, B)} of the DDIM update applied to {@code x = A z + B} with the exact predictor, in doubles. */
    private static double[] ddimInDoubles(NoiseSchedule s, int[] tau, double m, double v) {
        double a = 1;
        double b = 0;
        for (int i = 0; i < tau.length; i++) {
            double ab = s.alphaBar(tau[i]);
            double prev = i + 1 < tau.length ? s.alphaBar(tau[i + 1]) : 1;
            double k = Math.sqrt(1 - ab) / (ab * v + 1 - ab);
            double epsA = k * a;
            double epsB = k * (b - Math.sqrt(ab) * m);
            double x0A = (a - Math.sqrt(1 - ab) * epsA) / Math.sqrt(ab);
            double x0B = (b - Math.sqrt(1 - ab) * epsB) / Math.sqrt(ab);
            a = Math.sqrt(prev) * x0A + Math.sqrt(1 - prev) * epsA;
            b = Math.sqrt(prev) * x0B + Math.sqrt(1 - prev) * epsB;
        }
        return new double[] {a, b};
    }

    @Test
    void timeEmbeddingFollowsTheSinusoidFormula() {
        Tensor e = TimeEmbedding.of(new int[] {0, 7}, 6);
        assertArrayEquals(new int[] {2, 6}, e.shape());
        for (int k = 0; k < 3; k++) {
            double w = Math.pow(10000, -2.0 * k / 6);
            assertEquals(0.0, e.get(0, k), 1e-7);
            assertEquals(1.0, e.get(0, 3 + k), 1e-7);
            assertEquals(Math.sin(7 * w), e.get(1, k), 1e-6);
            assertEquals(Math.cos(7 * w), e.get(1, 3 + k), 1e-6);
        }
    }

    @Test
    void diffusionMlpShapesAndGradients() {
        DiffusionMlp net = new DiffusionMlp(3, new int[] {8, 8}, 2, 4, new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 4, 3).requiresGrad(true);
        Tensor c = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
        int[] t = {0, 3, 9, 99};
        assertArrayEquals(new int[] {4, 3}, net.forward(x, t, c).shape());
        GradCheck.Report r = GradCheck.check(in -> net.forward(in[0], t, c), x);
        assertTrue(r.passed(), r.toString());
        assertThrows(IllegalArgumentException.class, () -> net.forward(x, t, null));
        assertTrue(net.loss(NoiseSchedule.linear(100), x.detach(), c, new Rng(3)).item() > 0);
    }
}
