package dev.gradbook.nn.generative;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VaePiecesTest {
    @Test
    void klMatchesTheClosedFormInDoubles() {
        Tensor mu = Tensor.randn(new Rng(1), 3, 4);
        Tensor logVar = Tensor.randn(new Rng(2), 3, 4);
        Tensor kl = GaussianKl.perExample(mu, logVar);
        double mean = 0;
        for (int b = 0; b < 3; b++) {
            // KL(N(m, s^2) || N(0, 1)) = log(1/s) + (s^2 + m^2 - 1) / 2, summed over dimensions
            double expected = 0;
            for (int j = 0; j < 4; j++) {
                double m = mu.get(b, j);
                double s = Math.exp(logVar.get(b, j) / 2.0);
                expected += -Math.log(s) + (s * s + m * m - 1) / 2;
            }
            assertEquals(expected, kl.get(b), 1e-5);
            mean += expected / 3;
        }
        assertEquals(mean, GaussianKl.toStandardNormal(mu, logVar).item(), 1e-5);
        assertEquals(0f, GaussianKl.toStandardNormal(Tensor.zeros(2, 3), Tensor.zeros(2, 3)).item(), 0f);
    }

    @Test
    void klAndReparameterizationGradientsAgreeWithFiniteDifferences() {
        Tensor mu = Tensor.randn(new Rng(3), 2, 3).requiresGrad(true);
        Tensor logVar = Tensor.randn(new Rng(4), 2, 3).mul(0.5f).requiresGrad(true);
        Tensor eps = Tensor.randn(new Rng(5), 2, 3);
        GradCheck.Report kl = GradCheck.check(in -> GaussianKl.perExample(in[0], in[1]), mu, logVar);
        assertTrue(kl.passed(), kl.toString());
        GradCheck.Report z = GradCheck.check(in -> Reparameterization.sample(in[0], in[1], eps), mu, logVar);
        assertTrue(z.passed(), z.toString());
    }

    @Test
    void reparameterizedSamplesHaveTheRequestedMeanAndVariance() {
        int n = 20_000;
        Tensor z = Reparameterization.sample(Tensor.full(1.5f, n, 1), Tensor.full((float) Math.log(0.25), n, 1), new Rng(6));
        double mean = z.mean().item();
        double var = z.var().item();
        assertEquals(1.5, mean, 0.02);
        assertEquals(0.25, var, 0.01);
    }

    @Test
    void elboIsReconstructionPlusKlAndConditionsAreChecked() {
        Vae vae = new Vae(6, new int[] {5}, 2, 3, new Rng(7));
        Tensor x = Tensor.rand(new Rng(8), 4, 6);
        Tensor c = Tensor.of(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
        Vae.Elbo e = vae.elbo(x, c, new Rng(9));
        assertArrayEquals(new int[] {4}, e.reconstruction().shape());
        assertEquals(e.reconstruction().add(e.kl()).mean().item(), e.loss().item(), 1e-5);
        assertTrue(e.kl().min().item() >= 0);
        assertArrayEquals(new int[] {4, 6}, vae.sample(4, c, new Rng(1)).shape());
        assertThrows(IllegalArgumentException.class, () -> vae.elbo(x, null, new Rng(9)));
        assertThrows(IllegalArgumentException.class, () -> vae.encode(Tensor.zeros(4, 5), c));
    }

    @Test
    void autoencoderMirrorsItsSizes() {
        Autoencoder ae = new Autoencoder(new int[] {10, 6, 2}, new Rng(1));
        Tensor x = Tensor.rand(new Rng(2), 3, 10);
        assertArrayEquals(new int[] {3, 2}, ae.encode(x).shape());
        assertArrayEquals(new int[] {3, 10}, ae.forward(x).shape());
        // 10*6+6 + 6*2+2 for the encoder, 2*6+6 + 6*10+10 for the decoder
        assertEquals(66 + 14 + 18 + 70, ae.parameterCount());
        Tensor r = ae.reconstruct(x);
        assertTrue(r.min().item() > 0 && r.max().item() < 1);
    }
}
