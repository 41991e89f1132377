package dev.gradbook.transformer.quant;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.lora.LowRankAdapter;

/**
 * LoRA on top of a quantised layer: QLoRA (Dettmers et al., NeurIPS 2023, eq. 5),
 * <pre>
 *     Y = X dequant(W)ᵀ + (alpha / r) X Aᵀ Bᵀ
 * </pre>
 * The frozen base weight stays in 4 (or 8) bits; only the float32 factors {@code A (r, in)} and
 * {@code B (out, r)} are trained, initialised as in {@link LowRankAdapter} (B = 0, so the adapted
 * layer starts equal to the quantised one). The gradient reaches A and B through the dequantised
 * weight's product with X, which is what lets a 4-bit model be fine-tuned at all.
 *
 * <p>There is no merge: adding {@code B A} to the weight would need re-quantising it, which
 * changes the function. Keep the adapters separate, or merge into a float32 copy.
 */
public class QLoraLinear extends LowRankAdapter {
    public final QuantizedLinear base;

    /** Wraps {@code base} and freezes it. */
    public QLoraLinear(QuantizedLinear base, int r, float alpha, float dropout, Rng rng) {
        super(base, base.inFeatures, base.outFeatures, r, alpha, dropout, rng);
        this.base = base;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = base.forward(x);     // (..., out): X dequant(W)ᵀ + b
        return h.add(lowRankUpdate(x)); // + (alpha / r) X Aᵀ Bᵀ
    }

    @Override
    protected String describe() {
        return "in=" + base.inFeatures + ", out=" + base.outFeatures + ", " + base.weight.format() + ", "
                + describeUpdate();
    }
}
