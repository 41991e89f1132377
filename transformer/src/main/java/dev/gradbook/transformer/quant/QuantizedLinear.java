package dev.gradbook.transformer.quant;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

import java.util.function.Function;

/**
 * A frozen {@link Linear} whose weight is stored quantised ({@link Int8Weight}, {@link Int4Weight}
 * or {@link Nf4Weight}) and dequantised to float32 on the fly in every forward:
 * <pre>
 *     y = x dequant(W)ᵀ + b
 * </pre>
 * This trades compute for memory, as QLoRA does on a GPU: the stored weight is 4 or 8 bits per
 * value, the float32 copy lives only for the duration of one product. Gradients flow to the
 * input {@code x} (so layers below can still learn, LoRA adapters in particular) but never to
 * the quantised weight; the float32 bias is kept, frozen.
 *
 * <p>The quantised weight is not a tensor, so it is not in {@code stateDict()} and not counted
 * by {@code parameterCount()}; only the bias is.
 */
public class QuantizedLinear extends Layer {
    /** The storage formats. */
    public enum Format {
        INT8(Int8Weight::quantize),
        NF4(Nf4Weight::quantize),
        /** NF4 with its block scales in 8 bits too (QLoRA's double quantisation). */
        NF4_DOUBLE(Nf4Weight::quantizeDouble),
        /** 4-bit integers, one scale per output channel. */
        INT4(Int4Weight::quantize),
        /** 4-bit integers, one scale for the whole matrix. */
        INT4_PER_TENSOR(Int4Weight::quantizePerTensor);

        private final Function<Tensor, QuantizedWeight> quantizer;

        Format(Function<Tensor, QuantizedWeight> quantizer) {
            this.quantizer = quantizer;
        }

        /** Quantises a {@code (rows, cols)} matrix in this format. */
        public QuantizedWeight quantize(Tensor w) {
            return quantizer.apply(w);
        }
    }

    public final int inFeatures;
    public final int outFeatures;
    public final QuantizedWeight weight;
    /** Null when the original layer had no bias. */
    public final Tensor bias;

    public QuantizedLinear(QuantizedWeight weight, Tensor bias) {
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.rows())) {
            throw new IllegalArgumentException("QuantizedLinear: bias of shape " + Shape.format(bias.shape())
                    + " does not match " + weight.rows() + " outputs");
        }
        this.weight = weight;
        this.inFeatures = weight.cols();
        this.outFeatures = weight.rows();
        this.bias = bias == null ? null : parameter("bias", bias.copy()).requiresGrad(false);
    }

    /** Quantises the weight of {@code linear} in {@code format}; the bias is copied. */
    public static QuantizedLinear of(Linear linear, Format format) {
        return new QuantizedLinear(format.quantize(linear.weight), linear.bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != inFeatures) {
            throw new IllegalArgumentException("QuantizedLinear(in=" + inFeatures + ", out=" + outFeatures
                    + "): input of shape " + Shape.format(x.shape()) + " does not end in " + inFeatures);
        }
        Tensor w = weight.dequantize(); // (out, in), a constant
        Tensor y = x.matmulT(w);        // (..., out)
        return bias == null ? y : y.add(bias);
    }

    @Override
    protected String describe() {
        return "in=" + inFeatures + ", out=" + outFeatures + ", " + weight.format() + (bias == null ? ", bias=false" : "");
    }
}
