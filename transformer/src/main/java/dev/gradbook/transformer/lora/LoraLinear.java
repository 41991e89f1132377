package dev.gradbook.transformer.lora;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Init;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

/**
 * LoRA, low-rank adaptation of a frozen {@link Linear} layer (Hu et al., ICLR 2022, section 4.1,
 * eq. 3):
 * <pre>
 *     h = W0 x + (alpha / r) B A x
 * </pre>
 * with {@code W0 (out, in)} the pretrained weight, kept frozen, and the trainable factors
 * {@code A (r, in)} and {@code B (out, r)} of rank {@code r << min(in, out)}. Fine-tuning then
 * trains {@code r (in + out)} numbers per layer instead of {@code in * out}.
 *
 * <ul>
 *   <li>{@code A} starts random (Kaiming-uniform with {@code a = sqrt(5)}, as in the reference
 *       implementation, {@code microsoft/LoRA}'s {@code loralib}) and {@code B} starts at zero,
 *       so {@code B A = 0}: the adapted model is exactly the pretrained one until training
 *       moves B.</li>
 *   <li>Scaling by {@code alpha / r} means that changing {@code r} does not change how far a
 *       step of the optimizer moves the output, so the learning rate need not be retuned
 *       (section 4.1).</li>
 *   <li>Optional dropout on the LoRA path only, applied to {@code x} before {@code A}.</li>
 *   <li>{@link #merge()} folds the update into the weight, {@code W0 += (alpha / r) B A}, so
 *       inference costs nothing extra ("no additional inference latency", section 4.1);
 *       {@link #unmerge()} takes it out again.</li>
 * </ul>
 * The wrapped layer is a child named {@code base}, so its weight appears in the state dict as
 * {@code <module>.base.weight}; A and B as {@code <module>.lora_A} and {@code <module>.lora_B}.
 */
public class LoraLinear extends Layer implements LowRankAdapter {
    public final Linear base;
    public final int r;
    public final float alpha;
    /** {@code alpha / r}. */
    public final float scaling;
    private final Tensor loraA; // (r, in)
    private final Tensor loraB; // (out, r)
    /** Null when dropout is 0. */
    private final Dropout dropout;
    private boolean merged;

    /** Wraps {@code base} and freezes it. */
    public LoraLinear(Linear base, int r, float alpha, float dropout, Rng rng) {
        if (r <= 0 || r > Math.min(base.inFeatures, base.outFeatures)) {
            throw new IllegalArgumentException("LoraLinear: rank r must be in [1, min(in, out)] = [1, "
                    + Math.min(base.inFeatures, base.outFeatures) + "], got " + r);
        }
        this.base = child("base", base);
        base.freeze();
        this.r = r;
        this.alpha = alpha;
        this.scaling = alpha / r;
        this.loraA = parameter(A_NAME, initialA(rng, r, base.inFeatures));
        this.loraB = parameter(B_NAME, Tensor.zeros(base.outFeatures, r));
        this.dropout = dropout > 0 ? child("lora_dropout", new Dropout(dropout, rng.split())) : null;
    }

    /** The starting {@code A (r, in)}: Kaiming-uniform with {@code a = sqrt(5)}, i.e. {@code U(-1/sqrt(in), 1/sqrt(in))}. */
    public static Tensor initialA(Rng rng, int r, int in) {
        return Init.kaimingUniform(rng, (float) Math.sqrt(5), r, in);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = base.forward(x); // (..., out): W0 x + b
        if (merged) {
            return h; // the update already lives in W0
        }
        Tensor xd = dropout == null ? x : dropout.forward(x);
        Tensor update = xd.matmulT(loraA).matmulT(loraB); // (..., r) then (..., out): B A x
        return h.add(update.mul(scaling));
    }

    /** The update {@code (alpha / r) B A}, shape {@code (out, in)}, as a constant. */
    public Tensor deltaWeight() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return loraB.matmul(loraA).mul(scaling); // (out, r) (r, in) -> (out, in)
        }
    }

    /**
     * {@code W0 += (alpha / r) B A}: the layer now computes the same function with one matrix
     * product. While merged, forward skips the LoRA path, so A and B get no gradient: unmerge
     * before training further. Modifies the base weight in place.
     */
    public void merge() {
        if (merged) {
            throw new IllegalStateException("LoraLinear.merge: already merged");
        }
        base.weight.addInPlace(deltaWeight());
        merged = true;
    }

    /** {@code W0 -= (alpha / r) B A}: undoes {@link #merge()} (up to float32 rounding). */
    public void unmerge() {
        if (!merged) {
            throw new IllegalStateException("LoraLinear.unmerge: not merged");
        }
        base.weight.addInPlace(deltaWeight(), -1f);
        merged = false;
    }

    public boolean isMerged() {
        return merged;
    }

    @Override
    public Tensor loraA() {
        return loraA;
    }

    @Override
    public Tensor loraB() {
        return loraB;
    }

    @Override
    public int rank() {
        return r;
    }

    @Override
    public float alpha() {
        return alpha;
    }

    @Override
    protected String describe() {
        return "in=" + base.inFeatures + ", out=" + base.outFeatures + ", r=" + r + ", alpha=" + alpha
                + (dropout == null ? "" : ", dropout=" + dropout.p) + (merged ? ", merged" : "");
    }
}
