package dev.gradbook.nn.generative;

import dev.gradbook.core.Tensor;
import dev.gradbook.nn.loss.Losses;

/**
 * The losses of the two-player game of generative adversarial networks, on the discriminator's
 * logits {@code D(x)} (any shape, one value per example; averaged over the batch).
 *
 * <p>Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, equation 1: the
 * discriminator maximises {@code E[log sigmoid(D(x))] + E[log(1 - sigmoid(D(G(z))))]}, i.e.
 * minimises the binary cross-entropy with real = 1, fake = 0. The generator of the minimax game
 * would minimise {@code E[log(1 - sigmoid(D(G(z))))]}, whose gradient vanishes when the
 * discriminator confidently rejects its samples (early in training); section 3 proposes instead
 * to maximise {@code E[log sigmoid(D(G(z)))]}: the non-saturating loss, same fixed point,
 * strong gradients where they are needed.
 *
 * <p>Arjovsky et al., "Wasserstein GAN", ICML 2017, section 3: a critic {@code f} (no sigmoid)
 * estimates the Wasserstein-1 distance {@code W = E[f(x)] - E[f(G(z))]} (Kantorovich-Rubinstein
 * duality, valid when f is 1-Lipschitz); the critic maximises it and the generator minimises
 * {@code -E[f(G(z))]}. Keeping f Lipschitz is the job of weight clipping (Arjovsky) or of the
 * gradient penalty ({@link MlpCritic#gradientPenalty}).
 */
public final class GanLosses {
    private GanLosses() {
    }

    /** {@code BCE(D(x), 1) + BCE(D(G(z)), 0)}: what the discriminator minimises. */
    public static Tensor discriminator(Tensor realLogits, Tensor fakeLogits) {
        return Losses.binaryCrossEntropyWithLogits(realLogits, Tensor.onesLike(realLogits))
                .add(Losses.binaryCrossEntropyWithLogits(fakeLogits, Tensor.zerosLike(fakeLogits)));
    }

    /** {@code -E[log sigmoid(D(G(z)))] = BCE(D(G(z)), 1)}: the non-saturating generator loss. */
    public static Tensor generatorNonSaturating(Tensor fakeLogits) {
        return Losses.binaryCrossEntropyWithLogits(fakeLogits, Tensor.onesLike(fakeLogits));
    }

    /** {@code E[log(1 - sigmoid(D(G(z))))] = -BCE(D(G(z)), 0)}: the minimax generator loss, which saturates. */
    public static Tensor generatorMinimax(Tensor fakeLogits) {
        return Losses.binaryCrossEntropyWithLogits(fakeLogits, Tensor.zerosLike(fakeLogits)).neg();
    }

    /** {@code E[f(G(z))] - E[f(x)]}: what the Wasserstein critic minimises (minus its distance estimate). */
    public static Tensor critic(Tensor realScores, Tensor fakeScores) {
        return fakeScores.mean().sub(realScores.mean());
    }

    /** {@code -E[f(G(z))]}: the Wasserstein generator loss. */
    public static Tensor generatorWasserstein(Tensor fakeScores) {
        return fakeScores.mean().neg();
    }
}
