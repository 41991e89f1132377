package dev.gradbook.nn.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.loss.Reduction;

import java.util.List;

/**
 * A variational autoencoder (Kingma and Welling, "Auto-Encoding Variational Bayes", ICLR 2014),
 * optionally conditioned on a label (Sohn et al., "Learning structured output representation
 * using deep conditional generative models", NeurIPS 2015). The encoder gives a Gaussian
 * {@code q(z|x, c) = N(mu, diag(exp(logVar)))}, the decoder a Bernoulli {@code p(x|z, c)} per
 * pixel, and training maximises the evidence lower bound
 * <pre>
 *   ELBO(x) = E_q[ log p(x | z, c) ] - KL( q(z | x, c) || N(0, I) )   &lt;=   log p(x | c)
 * </pre>
 * estimated with one reparameterised sample (section 2.4, {@link Reparameterization}) and the
 * KL in closed form ({@link GaussianKl}). Shapes: x {@code (B, D)} in [0, 1], the condition c
 * {@code (B, C)} (a one-hot label; C = 0 for the unconditional model, then pass null), z
 * {@code (B, J)}.
 */
public class Vae extends Module {
    public final int inputs;
    public final int conditions;
    public final int latent;
    public final MLP encoder;
    public final MLP decoder;

    /** The loss terms of one batch, per example: reconstruction (nats) + kl = -ELBO = loss. */
    public record Elbo(Tensor loss, Tensor reconstruction, Tensor kl) {
    }

    /** The encoder's Gaussian: mean and log-variance, each {@code (B, J)}. */
    public record Posterior(Tensor mu, Tensor logVar) {
    }

    /** {@code D -> hidden -> 2J} and {@code J -> hidden reversed -> D}, each side also fed the C condition values. */
    public Vae(int inputs, int[] hidden, int latent, int conditions, Rng rng) {
        if (inputs <= 0 || latent <= 0 || conditions < 0) {
            throw new IllegalArgumentException("Vae: inputs and latent must be positive and conditions >= 0, got "
                    + inputs + ", " + latent + ", " + conditions);
        }
        this.inputs = inputs;
        this.conditions = conditions;
        this.latent = latent;
        int[] enc = new int[hidden.length + 2];
        int[] dec = new int[hidden.length + 2];
        enc[0] = inputs + conditions;
        dec[0] = latent + conditions;
        for (int i = 0; i < hidden.length; i++) {
            enc[i + 1] = hidden[i];
            dec[i + 1] = hidden[hidden.length - 1 - i];
        }
        enc[hidden.length + 1] = 2 * latent;
        dec[hidden.length + 1] = inputs;
        this.encoder = child("encoder", new MLP(enc, ReLU::new, rng));
        this.decoder = child("decoder", new MLP(dec, ReLU::new, rng));
    }

    /** {@code q(z | x, c)}: x {@code (B, D)}, c {@code (B, C)} or null. */
    public Posterior encode(Tensor x, Tensor c) {
        Tensor h = encoder.forward(withCondition(x, c, inputs)); // (B, 2J)
        return new Posterior(h.narrow(1, 0, latent), h.narrow(1, latent, latent));
    }

    /** The logits of {@code p(x | z, c)}, {@code (B, D)}. */
    public Tensor decode(Tensor z, Tensor c) {
        return decoder.forward(withCondition(z, c, latent));
    }

    /** Samples {@code (n, D)} in (0, 1) from the prior: {@code sigmoid(decode(z ~ N(0, I), c))}. */
    public Tensor sample(int n, Tensor c, Rng rng) {
        return decode(Tensor.randn(rng, n, latent), c).sigmoid();
    }

    /** The negative ELBO of a batch with one reparameterised sample of z; {@code loss} is the batch mean. */
    public Elbo elbo(Tensor x, Tensor c, Rng rng) {
        Posterior q = encode(x, c);
        Tensor z = Reparameterization.sample(q.mu(), q.logVar(), rng);                  // (B, J)
        Tensor logits = decode(z, c);                                                    // (B, D)
        Tensor rec = Losses.binaryCrossEntropyWithLogits(logits, x, Reduction.NONE).sum(1); // (B): -log p(x|z)
        Tensor kl = GaussianKl.perExample(q.mu(), q.logVar());                           // (B)
        return new Elbo(rec.add(kl).mean(), rec, kl);
    }

    private Tensor withCondition(Tensor v, Tensor c, int width) {
        if (v.dim() != 2 || v.size(1) != width) {
            throw new IllegalArgumentException("Vae: expected (B, " + width + "), got " + java.util.Arrays.toString(v.shape()));
        }
        if (conditions == 0) {
            if (c != null) {
                throw new IllegalArgumentException("Vae: an unconditional model was given a condition");
            }
            return v;
        }
        if (c == null || c.dim() != 2 || c.size(0) != v.size(0) || c.size(1) != conditions) {
            throw new IllegalArgumentException("Vae: the condition must be (" + v.size(0) + ", " + conditions + "), got "
                    + (c == null ? "null" : java.util.Arrays.toString(c.shape())));
        }
        return Tensor.cat(List.of(v, c), 1); // (B, width + C)
    }
}
