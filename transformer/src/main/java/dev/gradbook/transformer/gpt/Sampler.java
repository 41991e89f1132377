package dev.gradbook.transformer.gpt;

import dev.gradbook.core.Rng;

import java.util.Arrays;

/**
 * How the next token is chosen from the logits of the last position.
 * <ul>
 *   <li>Greedy ({@code temperature = 0}): the most likely token, always the same text.</li>
 *   <li>Temperature {@code tau}: sample from {@code softmax(logits / tau)}; below 1 sharpens the
 *       distribution, above 1 flattens it.</li>
 *   <li>Top-k (Fan et al. 2018): sample only among the {@code k} most likely tokens.</li>
 *   <li>Top-p, nucleus (Holtzman et al. 2020, section 3.1): sample only among the smallest set of
 *       most likely tokens whose probabilities add up to at least {@code p}.</li>
 * </ul>
 * The filters combine in that order: temperature, then top-k, then top-p, then renormalise.
 *
 * @param temperature 0 for greedy, else {@code tau > 0}
 * @param topK        keep this many tokens (0: all)
 * @param topP        keep this much probability mass, in (0, 1] (1: all)
 */
public record Sampler(float temperature, int topK, float topP) {
    public Sampler {
        if (!(temperature >= 0) || topK < 0 || !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("Sampler: needs temperature >= 0, topK >= 0 and topP in (0, 1], got "
                    + "temperature=" + temperature + ", topK=" + topK + ", topP=" + topP);
        }
    }

    /** Always the most likely token. */
    public static Sampler greedy() {
        return new Sampler(0f, 0, 1f);
    }

    /** Plain sampling at temperature {@code tau}. */
    public static Sampler temperature(float tau) {
        return new Sampler(tau, 0, 1f);
    }

    /** Sampling at temperature {@code tau} among the {@code k} most likely tokens. */
    public static Sampler topK(float tau, int k) {
        return new Sampler(tau, k, 1f);
    }

    /** Nucleus sampling at temperature {@code tau} with mass {@code p}. */
    public static Sampler topP(float tau, float p) {
        return new Sampler(tau, 0, p);
    }

    /** Chooses a token id from {@code logits (V)}, drawing from {@code rng} unless greedy. */
    public int sample(float[] logits, Rng rng) {
        if (temperature == 0) {
            return argmax(logits);
        }
        double[] p = probabilities(logits);
        double u = rng.nextDouble();
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last;   // u fell into the rounding gap at the top: the last kept token
    }

    /** The distribution {@link #sample} draws from: filtered and renormalised, zero outside the kept set. */
    public double[] probabilities(float[] logits) {
        int v = logits.length;
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));   // most likely first
        int keep = topK == 0 ? v : Math.min(topK, v);
        // softmax(logits / tau) over the kept tokens; subtracting the max keeps exp finite
        double max = logits[order[0]];
        double[] p = new double[v];
        double total = 0;
        for (int r = 0; r < keep; r++) {
            int i = order[r];
            p[i] = Math.exp((logits[i] - max) / temperature);
            total += p[i];
        }
        // nucleus: the shortest prefix of the ranking whose mass reaches topP (at least one token)
        double mass = 0;
        int nucleus = 0;
        while (nucleus < keep && (nucleus == 0 || mass < topP * total)) {
            mass += p[order[nucleus]];
            nucleus++;
        }
        for (int r = nucleus; r < keep; r++) {
            p[order[r]] = 0;
        }
        for (int i = 0; i < v; i++) {
            p[i] /= mass;
        }
        return p;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
