package dev.gradbook.transformer.alignment;

/**
 * The hyper-parameters of {@link PpoTrainer}. The defaults are the published ones for fine-tuning
 * GPT-2 from human preferences (Ziegler et al. 2019, appendix; the same in Hugging Face TRL's
 * PPO): change what differs with the {@code with...} methods, e.g.
 * {@code PpoConfig.defaults().withLr(3e-4f).withKl(KlController.Config.fixed(0.1f))}.
 *
 * @param lr             Adam's learning rate for policy and value together (1.41e-5)
 * @param epochs         passes over each rollout batch (4)
 * @param miniBatches    optimizer steps per pass; must divide the batch (1)
 * @param clipRange      eps of the clipped surrogate (0.2)
 * @param valueClipRange eps_v of the clipped value loss (0.2)
 * @param valueCoef      weight of the value loss in {@code L = L_clip + c_v L_V} (0.1)
 * @param gamma          discount per token (1: the reward arrives at the end and is not shrunk)
 * @param lambda         GAE's lambda (0.95)
 * @param maxGradNorm    clip the global gradient norm to this; 0 for no clipping (0)
 * @param kl             the KL penalty's coefficient: fixed or adaptive ({@link KlController.Config#defaults})
 */
public record PpoConfig(float lr, int epochs, int miniBatches, float clipRange, float valueClipRange, float valueCoef,
                        float gamma, float lambda, float maxGradNorm, KlController.Config kl) {
    public static final PpoConfig DEFAULT = new PpoConfig(1.41e-5f, 4, 1, 0.2f, 0.2f, 0.1f, 1f, 0.95f, 0f,
            KlController.Config.defaults());

    public PpoConfig {
        if (!(lr > 0) || epochs < 1 || miniBatches < 1 || !(clipRange > 0) || !(valueClipRange > 0)
                || !(valueCoef >= 0) || !(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)
                || !(maxGradNorm >= 0) || kl == null) {
            throw new IllegalArgumentException("PpoConfig: needs lr > 0, epochs >= 1, miniBatches >= 1, clip ranges > 0, "
                    + "valueCoef >= 0, gamma and lambda in [0, 1], maxGradNorm >= 0 and a KL config; got " + describe(lr,
                    epochs, miniBatches, clipRange, valueClipRange, valueCoef, gamma, lambda, maxGradNorm, kl));
        }
    }

    private static String describe(float lr, int epochs, int miniBatches, float clipRange, float valueClipRange,
                                float valueCoef, float gamma, float lambda, float maxGradNorm, KlController.Config kl) {
        return "lr=" + lr + ", epochs=" + epochs + ", miniBatches=" + miniBatches + ", clipRange=" + clipRange
                + ", valueClipRange=" + valueClipRange + ", valueCoef=" + valueCoef + ", gamma=" + gamma + ", lambda="
                + lambda + ", maxGradNorm=" + maxGradNorm + ", kl=" + kl;
    }

    /** The published defaults: {@link #DEFAULT}. */
    public static PpoConfig defaults() {
        return DEFAULT;
    }

    public PpoConfig withLr(float v) {
        return new PpoConfig(v, epochs, miniBatches, clipRange, valueClipRange, valueCoef, gamma, lambda, maxGradNorm, kl);
    }

    public PpoConfig withEpochs(int v) {
        return new PpoConfig(lr, v, miniBatches, clipRange, valueClipRange, valueCoef, gamma, lambda, maxGradNorm, kl);
    }

    public PpoConfig withMiniBatches(int v) {
        return new PpoConfig(lr, epochs, v, clipRange, valueClipRange, valueCoef, gamma, lambda, maxGradNorm, kl);
    }

    public PpoConfig withClipRange(float v) {
        return new PpoConfig(lr, epochs, miniBatches, v, valueClipRange, valueCoef, gamma, lambda, maxGradNorm, kl);
    }

    public PpoConfig withValueClipRange(float v) {
        return new PpoConfig(lr, epochs, miniBatches, clipRange, v, valueCoef, gamma, lambda, maxGradNorm, kl);
    }

    public PpoConfig withValueCoef(float v) {
        return new PpoConfig(lr, epochs, miniBatches, clipRange, valueClipRange, v, gamma, lambda, maxGradNorm, kl);
    }

    public PpoConfig withGamma(float v) {
        return new PpoConfig(lr, epochs, miniBatches, clipRange, valueClipRange, valueCoef, v, lambda, maxGradNorm, kl);
    }

    public PpoConfig withLambda(float v) {
        return new PpoConfig(lr, epochs, miniBatches, clipRange, valueClipRange, valueCoef, gamma, v, maxGradNorm, kl);
    }

    public PpoConfig withMaxGradNorm(float v) {
        return new PpoConfig(lr, epochs, miniBatches, clipRange, valueClipRange, valueCoef, gamma, lambda, v, kl);
    }

    public PpoConfig withKl(KlController.Config v) {
        return new PpoConfig(lr, epochs, miniBatches, clipRange, valueClipRange, valueCoef, gamma, lambda, maxGradNorm, v);
    }
}
