package dev.gradbook.transformer.quant;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Layer;
import dev.gradbook.transformer.lora.LoraLinear;
import dev.gradbook.transformer.lora.LowRankAdapter;

/**
 * LoRA on top of a quantised layer: QLoRA (Dettmers et al., NeurIPS 2023, eq. 5),
 * <pre>
 *     Y = X dequant(W)ᵀ + (alpha / r) X Aᵀ Bᵀ
 * </pre>
 * The frozen base weight stays in 4 (or 8) bits; only the float32 factors {@code A (r, in)} and
 * {@code B (out, r)} are trained, initialised as in {@link LoraLinear} (B = 0, so the adapted
 * layer starts equal to the quantised one). The gradient reaches A and B through the dequantised
 * weight's product with X, which is what lets a 4-bit model be fine-tuned at all.
 *
 * <p>There is no merge: adding {@code B A} to the weight would need re-quantising it, which
 * changes the function. Keep the adapters separate, or merge into a float32 copy.
 */
public class QLoraLinear extends Layer implements LowRankAdapter {
    public final QuantizedLinear base;
    public final int r;
    public final float alpha;
    public final float scaling;
    private final Tensor loraA; // (r, in)
    private final Tensor loraB; // (out, r)
    private final Dropout dropout;

    public QLoraLinear(QuantizedLinear base, int r, float alpha, float dropout, Rng rng) {
        if (r <= 0 || r > Math.min(base.inFeatures, base.outFeatures)) {
            throw new IllegalArgumentException("QLoraLinear: rank r must be in [1, min(in, out)] = [1, "
                    + Math.min(base.inFeatures, base.outFeatures) + "], got " + r);
        }
        this.base = child("base", base);
        base.freeze();
        this.r = r;
        this.alpha = alpha;
        this.scaling = alpha / r;
        this.loraA = parameter(A_NAME, LoraLinear.initialA(rng, r, base.inFeatures));
        this.loraB = parameter(B_NAME, Tensor.zeros(base.outFeatures, r));
        this.dropout = dropout > 0 ? child("lora_dropout", new Dropout(dropout, rng.split())) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = base.forward(x); // (..., out): X dequant(W)ᵀ + b
        Tensor xd = dropout == null ? x : dropout.forward(x);
        Tensor update = xd.matmulT(loraA).matmulT(loraB); // (..., r) then (..., out)
        return h.add(update.mul(scaling));
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
        return "in=" + base.inFeatures + ", out=" + base.outFeatures + ", " + base.weight.format() + ", r=" + r
                + ", alpha=" + alpha + (dropout == null ? "" : ", dropout=" + dropout.p);
    }
}
