package dev.gradbook.nn.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A time-conditioned MLP that predicts the noise in {@code x_t}: the smallest network that can
 * play the role of Ho et al.'s U-Net (NeurIPS 2020, appendix B) for small data (2-D points,
 * 28 x 28 digits as 784 values, autoencoder codes). Every hidden layer adds a learned projection
 * of the step's {@link TimeEmbedding} (and of an optional condition, such as a one-hot label) to
 * its pre-activation, as the U-Net adds the embedding to every residual block:
 * <pre>
 *   h_0 = x
 *   h_l = SiLU( W_l h_(l-1) + U_l emb(t) + V_l c ),    l = 1 .. L
 *   eps_theta(x, t, c) = W_out h_L + s(t) x             (B, D),   s(t) = u . emb(t) + b
 * </pre>
 * The last term is a skip connection with a learned scale per step. At large t, x_t is nearly all
 * noise and the best prediction is nearly {@code x_t} itself, times a number that depends on t;
 * an MLP narrower than D cannot pass D numbers through its hidden layers, so without the skip it
 * would plateau there (a U-Net has its skip connections for the same reason; Karras et al.,
 * "Elucidating the Design Space of Diffusion-Based Generative Models", NeurIPS 2022, section 5,
 * write the skip scale out analytically).
 */
public class DiffusionMlp extends Module {
    public final int inputs;
    public final int conditions;
    public final int embedding;
    private final List<Linear> layers = new ArrayList<>();
    private final List<Linear> time = new ArrayList<>();
    private final List<Linear> condition = new ArrayList<>();
    private final Linear out;
    private final Linear skip;

    /** D inputs, the hidden sizes, C condition values (0: unconditional), a time embedding of {@code embedding}. */
    public DiffusionMlp(int inputs, int[] hidden, int conditions, int embedding, Rng rng) {
        if (inputs <= 0 || hidden.length == 0 || conditions < 0) {
            throw new IllegalArgumentException("DiffusionMlp: needs inputs > 0, a hidden layer and conditions >= 0");
        }
        this.inputs = inputs;
        this.conditions = conditions;
        this.embedding = embedding;
        int previous = inputs;
        for (int l = 0; l < hidden.length; l++) {
            layers.add(child("fc" + l, new Linear(previous, hidden[l], rng)));
            time.add(child("time" + l, new Linear(embedding, hidden[l], false, rng)));
            if (conditions > 0) {
                condition.add(child("cond" + l, new Linear(conditions, hidden[l], false, rng)));
            }
            previous = hidden[l];
        }
        this.out = child("out", new Linear(previous, inputs, rng));
        this.skip = child("skip", new Linear(embedding, 1, rng));
    }

    /** The predicted noise {@code (B, D)} for {@code x (B, D)} at steps {@code t (B)}, condition {@code c (B, C)} or null. */
    public Tensor forward(Tensor x, int[] t, Tensor c) {
        if (x.dim() != 2 || x.size(1) != inputs || x.size(0) != t.length) {
            throw new IllegalArgumentException("DiffusionMlp: expected x (" + t.length + ", " + inputs + "), got "
                    + java.util.Arrays.toString(x.shape()));
        }
        if ((conditions > 0) != (c != null) || (c != null && (c.dim() != 2 || c.size(1) != conditions))) {
            throw new IllegalArgumentException("DiffusionMlp: the condition must be (B, " + conditions + ")"
                    + (conditions == 0 ? " i.e. null" : "") + ", got " + (c == null ? "null" : java.util.Arrays.toString(c.shape())));
        }
        Tensor emb = TimeEmbedding.of(t, embedding); // (B, E)
        Tensor h = x;
        for (int l = 0; l < layers.size(); l++) {
            Tensor a = layers.get(l).forward(h).add(time.get(l).forward(emb)); // (B, h_l)
            if (c != null) {
                a = a.add(condition.get(l).forward(c));
            }
            h = a.silu();
        }
        return out.forward(h).add(x.mul(skip.forward(emb))); // (B, D) + (B, D) * (B, 1)
    }

    /** The same step for the whole batch, as {@link NoisePredictor} wants it. */
    public Tensor forward(Tensor x, int t, Tensor c) {
        int[] steps = new int[x.size(0)];
        java.util.Arrays.fill(steps, t);
        return forward(x, steps, c);
    }

    /** The training loss of Ho et al.'s Algorithm 1: {@code || eps - eps_theta(x_t, t) ||^2}, averaged. */
    public Tensor loss(NoiseSchedule schedule, Tensor x0, Tensor c, Rng rng) {
        int[] t = new int[x0.size(0)];
        for (int b = 0; b < t.length; b++) {
            t[b] = rng.nextInt(schedule.steps());
        }
        Tensor eps = Tensor.randn(rng, x0.shape());
        Tensor xt = schedule.sample(x0, t, eps);
        return forward(xt, t, c).sub(eps).square().mean();
    }
}
