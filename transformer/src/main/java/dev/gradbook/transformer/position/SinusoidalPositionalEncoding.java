package dev.gradbook.transformer.position;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

/**
 * The fixed positional encoding of the original transformer (Vaswani et al. 2017, section 3.5):
 * <pre>
 *   PE(pos, 2i)     = sin(pos / 10000^(2i / dModel))
 *   PE(pos, 2i + 1) = cos(pos / 10000^(2i / dModel))
 * </pre>
 * Each pair of channels is a sine and cosine of one frequency; the wavelengths grow geometrically
 * from {@code 2 pi} to {@code 10000 * 2 pi}. For any offset {@code k}, {@code PE(pos + k)} is a
 * rotation of {@code PE(pos)} in each pair, a linear function of it, which the authors hoped
 * would let attention pick out relative positions. Nothing is learned; the table has no gradient
 * and is not saved in checkpoints (it is recomputed from {@code maxLen} and {@code dModel}).
 */
public class SinusoidalPositionalEncoding extends Module {
    public final int maxLen;
    public final int dModel;
    private final Tensor table;

    public SinusoidalPositionalEncoding(int maxLen, int dModel) {
        if (maxLen <= 0 || dModel <= 0 || dModel % 2 != 0) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: needs maxLen > 0 and an even dModel > 0, "
                    + "got maxLen=" + maxLen + ", dModel=" + dModel);
        }
        this.maxLen = maxLen;
        this.dModel = dModel;
        float[] pe = new float[maxLen * dModel];
        for (int pos = 0; pos < maxLen; pos++) {
            for (int i = 0; i < dModel / 2; i++) {
                double angle = pos / Math.pow(10000, 2.0 * i / dModel);
                pe[pos * dModel + 2 * i] = (float) Math.sin(angle);
                pe[pos * dModel + 2 * i + 1] = (float) Math.cos(angle);
            }
        }
        this.table = Tensor.wrap(pe, maxLen, dModel);
    }

    /** The encodings of positions {@code offset .. offset + length - 1}, {@code (length, dModel)}. */
    public Tensor encoding(int length, int offset) {
        if (offset < 0 || length < 0 || offset + length > maxLen) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: positions " + offset + ".."
                    + (offset + length - 1) + " go beyond maxLen=" + maxLen);
        }
        return table.narrow(0, offset, length);
    }

    /** {@code x (B, T, dModel) + PE[0..T)}. */
    public Tensor forward(Tensor x) {
        return forward(x, 0);
    }

    /** {@code x (B, T, dModel) + PE[offset..offset+T)}, for a sequence that starts at {@code offset}. */
    public Tensor forward(Tensor x, int offset) {
        if (x.dim() != 3 || x.size(2) != dModel) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding(dModel=" + dModel + "): input "
                    + Shape.format(x.shape()) + " is not (B, T, " + dModel + ")");
        }
        return x.add(encoding(x.size(1), offset));        // (B, T, C) + (T, C)
    }

    @Override
    protected String describe() {
        return "maxLen=" + maxLen + ", dModel=" + dModel;
    }
}
