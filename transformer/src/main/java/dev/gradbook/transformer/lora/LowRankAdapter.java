package dev.gradbook.transformer.lora;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Module;

/**
 * A layer that adds a trainable low-rank update to a frozen weight (Hu et al., ICLR 2022,
 * section 4.1): the LoRA path
 * <pre>
 *     (alpha / r) B A x
 * </pre>
 * with {@code A (r, in)} and {@code B (out, r)}, added to the output of the frozen child
 * {@code base}. {@link LoraLinear} adapts a float32 {@code Linear} and {@code QLoraLinear} a
 * quantised one; they differ only in the base. {@link LoraAdapters} saves and loads the
 * {@code A} and {@code B} of every such layer.
 *
 * <ul>
 *   <li>{@code A} starts random (Kaiming-uniform with {@code a = sqrt(5)}, as in the reference
 *       implementation, {@code microsoft/LoRA}'s {@code loralib}) and {@code B} starts at zero,
 *       so {@code B A = 0}: the adapted layer is exactly the frozen one until training moves B.</li>
 *   <li>Scaling by {@code alpha / r} means that changing {@code r} does not change how far a
 *       step of the optimizer moves the output, so the learning rate need not be retuned
 *       (section 4.1).</li>
 *   <li>Optional dropout on the LoRA path only, applied to {@code x} before {@code A}.</li>
 * </ul>
 */
public abstract class LowRankAdapter extends Layer {
    /** The parameter names under which A and B are registered (as in Hugging Face PEFT). */
    public static final String A_NAME = "lora_A";
    public static final String B_NAME = "lora_B";

    public final int r;
    public final float alpha;
    /** {@code alpha / r}. */
    public final float scaling;
    private final Tensor loraA; // (r, in)
    private final Tensor loraB; // (out, r)
    /** Null when dropout is 0. */
    private final Dropout dropout;

    /** Registers {@code base} (an {@code in -> out} layer) as the child {@code base} and freezes it, then A and B. */
    protected LowRankAdapter(Module base, int in, int out, int r, float alpha, float dropout, Rng rng) {
        if (r <= 0 || r > Math.min(in, out)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": rank r must be in [1, min(in, out)] = "
                    + "[1, " + Math.min(in, out) + "], got " + r);
        }
        child("base", base);
        base.freeze();
        this.r = r;
        this.alpha = alpha;
        this.scaling = alpha / r;
        this.loraA = parameter(A_NAME, initialA(rng, r, in));
        this.loraB = parameter(B_NAME, Tensor.zeros(out, r));
        this.dropout = dropout > 0 ? child("lora_dropout", new Dropout(dropout, rng.split())) : null;
    }

    /** The starting {@code A (r, in)}: Kaiming-uniform with {@code a = sqrt(5)}, i.e. {@code U(-1/sqrt(in), 1/sqrt(in))}. */
    public static Tensor initialA(Rng rng, int r, int in) {
        return Init.kaimingUniform(rng, (float) Math.sqrt(5), r, in);
    }

    /** The LoRA path {@code (alpha / r) B A x}, with dropout on {@code x} if set: shape {@code (..., out)}. */
    protected Tensor lowRankUpdate(Tensor x) {
        Tensor xd = dropout == null ? x : dropout.forward(x);
        Tensor update = xd.matmulT(loraA).matmulT(loraB); // (..., r) then (..., out): B A x
        return update.mul(scaling);
    }

    /** The update {@code (alpha / r) B A}, shape {@code (out, in)}, as a constant: what merging adds to the weight. */
    public Tensor deltaWeight() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return loraB.matmul(loraA).mul(scaling); // (out, r) (r, in) -> (out, in)
        }
    }

    /** {@code A}, shape {@code (r, in)}: random at the start. */
    public Tensor loraA() {
        return loraA;
    }

    /** {@code B}, shape {@code (out, r)}: zero at the start, so the update starts at zero. */
    public Tensor loraB() {
        return loraB;
    }

    /** The rank {@code r} of the update. */
    public int rank() {
        return r;
    }

    /** The scale numerator: the update is multiplied by {@code alpha / r}. */
    public float alpha() {
        return alpha;
    }

    /** {@code "r=8, alpha=16.0"}, and the dropout if any: the LoRA part of a subclass's {@link #describe()}. */
    protected String describeUpdate() {
        return "r=" + r + ", alpha=" + alpha + (dropout == null ? "" : ", dropout=" + dropout.p);
    }
}
