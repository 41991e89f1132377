package dev.gradbook.nn.generative;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

import java.util.ArrayList;
import java.util.List;

/**
 * A Wasserstein critic: an MLP with leaky-ReLU units and one output score per example,
 * {@code (B, D) -> (B, 1)}, whose gradient with respect to its input is also written as a
 * tensor expression of its weights, so that the gradient penalty of WGAN-GP can be trained.
 *
 * <p>Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, equation 3: the
 * critic loss gets {@code lambda * E[(||grad_x f(x_hat)||_2 - 1)^2]} at points
 * {@code x_hat = eps x + (1 - eps) G(z)} on lines between real and generated samples. Training
 * that penalty needs the derivative of a derivative. Gradbook's autograd records one backward
 * pass, not the graph of a backward pass, so the input gradient is written out here instead,
 * by the chain rule through the layers {@code a_l = W_l h_(l-1) + b_l}, {@code h_l = phi(a_l)}:
 * <pre>
 *   g_L = w_out,    g_(l-1) = (g_l * phi'(a_l)) W_l,    grad_x f = g_0
 * </pre>
 * {@code phi'(a)} is 1 or the slope, constant between kinks, so it is taken from the forward
 * values without a gradient; every other factor is a weight, and autograd differentiates the
 * expression with respect to the weights as usual. This is exact for this family of critics
 * (piecewise linear); a convolutional critic would need autograd of autograd.
 */
public class MlpCritic extends Layer {
    private final List<Linear> layers = new ArrayList<>();
    public final float slope;

    /** {@code sizes = {D, h1, ..., hk}}; a last Linear maps hk to one score. */
    public MlpCritic(int[] sizes, float slope, Rng rng) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("MlpCritic: needs an input and at least one hidden size, got "
                    + java.util.Arrays.toString(sizes));
        }
        this.slope = slope;
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(child("fc" + i, new Linear(sizes[i], sizes[i + 1], rng)));
        }
        layers.add(child("out", new Linear(sizes[sizes.length - 1], 1, rng)));
    }

    /** The scores {@code (B, 1)} of inputs {@code (B, D)}. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i + 1 < layers.size(); i++) {
            h = layers.get(i).forward(h).leakyRelu(slope); // (B, h_i)
        }
        return layers.get(layers.size() - 1).forward(h);  // (B, 1)
    }

    /** {@code grad_x f(x)}, {@code (B, D)}, as a differentiable function of the weights (class comment). */
    public Tensor inputGradient(Tensor x) {
        int hiddenLayers = layers.size() - 1;
        List<Tensor> derivatives = new ArrayList<>();        // phi'(a_l), (B, h_l), constants
        try (var noGrad = Autograd.noGrad()) {
            Tensor h = x.detach();
            for (int i = 0; i < hiddenLayers; i++) {
                Tensor a = layers.get(i).forward(h);
                derivatives.add(a.gt(0f).mul(1f - slope).add(slope));
                h = a.leakyRelu(slope);
            }
        }
        Tensor g = layers.get(hiddenLayers).weight;         // (1, h_L)
        for (int i = hiddenLayers - 1; i >= 0; i--) {
            g = g.mul(derivatives.get(i)).matmul(layers.get(i).weight); // (B, h_l) @ (h_l, h_(l-1))
        }
        return g;                                            // (B, D)
    }

    /**
     * {@code lambda * mean over rows of (||grad f(x_hat)||_2 - 1)^2} at {@code x_hat = eps real + (1 - eps) fake}
     * with one {@code eps ~ U(0, 1)} per row; real and fake are {@code (B, D)} and treated as constants.
     */
    public Tensor gradientPenalty(Tensor real, Tensor fake, float lambda, Rng rng) {
        if (!java.util.Arrays.equals(real.shape(), fake.shape()) || real.dim() != 2) {
            throw new IllegalArgumentException("MlpCritic.gradientPenalty: real and fake must be (B, D) of one shape, got "
                    + java.util.Arrays.toString(real.shape()) + " and " + java.util.Arrays.toString(fake.shape()));
        }
        Tensor eps = Tensor.rand(rng, real.size(0), 1);                           // (B, 1)
        Tensor xHat = real.detach().mul(eps).add(fake.detach().mul(eps.neg().add(1f))); // (B, D)
        Tensor norm = inputGradient(xHat).square().sum(1).add(1e-12f).sqrt();      // (B)
        return norm.sub(1f).square().mean().mul(lambda);
    }

    /** Clamps every weight and bias to {@code [-c, c]}: the original WGAN's way to keep f Lipschitz. */
    public void clipWeights(float c) {
        for (Tensor p : parameters()) {
            float[] v = p.data();
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.max(-c, Math.min(c, v[i]));
            }
        }
    }
}
