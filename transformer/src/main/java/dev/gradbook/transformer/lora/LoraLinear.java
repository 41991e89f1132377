package dev.gradbook.transformer.lora;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;

/**
 * LoRA, low-rank adaptation of a frozen {@link Linear} layer (Hu et al., ICLR 2022, section 4.1,
 * eq. 3):
 * <pre>
 *     h = W0 x + (alpha / r) B A x
 * </pre>
 * with {@code W0 (out, in)} the pretrained weight, kept frozen, and the trainable factors
 * {@code A (r, in)} and {@code B (out, r)} of rank {@code r << min(in, out)}. Fine-tuning then
 * trains {@code r (in + out)} numbers per layer instead of {@code in * out}. How A and B start,
 * why the update is scaled by {@code alpha / r} and where the dropout goes: {@link LowRankAdapter}.
 *
 * <p>{@link #merge()} folds the update into the weight, {@code W0 += (alpha / r) B A}, so
 * inference costs nothing extra ("no additional inference latency", section 4.1);
 * {@link #unmerge()} takes it out again.
 *
 * <p>The wrapped layer is a child named {@code base}, so its weight appears in the state dict as
 * {@code <module>.base.weight}; A and B as {@code <module>.lora_A} and {@code <module>.lora_B}.
 */
public class LoraLinear extends LowRankAdapter {
    public final Linear base;
    private boolean merged;

    /** Wraps {@code base} and freezes it. */
    public LoraLinear(Linear base, int r, float alpha, float dropout, Rng rng) {
        super(base, base.inFeatures, base.outFeatures, r, alpha, dropout, rng);
        this.base = base;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = base.forward(x); // (..., out): W0 x + b
        if (merged) {
            return h; // the update already lives in W0
        }
        return h.add(lowRankUpdate(x)); // + (alpha / r) B A x
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
        try (var noGrad = Autograd.noGrad()) {
            base.weight.addInPlace(deltaWeight());
        }
        merged = true;
    }

    /** {@code W0 -= (alpha / r) B A}: undoes {@link #merge()} (up to float32 rounding). */
    public void unmerge() {
        if (!merged) {
            throw new IllegalStateException("LoraLinear.unmerge: not merged");
        }
        try (var noGrad = Autograd.noGrad()) {
            base.weight.addInPlace(deltaWeight(), -1f);
        }
        merged = false;
    }

    public boolean isMerged() {
        return merged;
    }

    @Override
    protected String describe() {
        return "in=" + base.inFeatures + ", out=" + base.outFeatures + ", " + describeUpdate()
                + (merged ? ", merged" : "");
    }
}
