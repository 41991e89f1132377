package dev.gradbook.transformer.vit;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

/**
 * An image as a sequence of tokens (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words",
 * section 3.1, equation 1): cut {@code x (B, C, H, W)} into {@code N = (H/P)(W/P)} patches of
 * {@code P x P} pixels, flatten each to a vector of {@code C P^2} numbers, in row-major order of
 * the patches, and project it linearly to {@code D} channels:
 * <pre>
 *   z_i = x_p^i E + b,     E (C P^2, D),   i = 1..N          (B, N, D)
 * </pre>
 * (the same as a {@code P x P} convolution with stride {@code P}). Within a patch the numbers
 * are ordered channel, row, column, as PyTorch's {@code unfold} gives them. Child: {@code proj}.
 */
public class PatchEmbedding extends Layer {
    public final int channels;
    public final int patch;
    public final int dim;
    private final Linear proj;

    public PatchEmbedding(int channels, int patch, int dim, Rng rng) {
        if (channels <= 0 || patch <= 0 || dim <= 0) {
            throw new IllegalArgumentException("PatchEmbedding: sizes must be positive, got channels=" + channels
                    + ", patch=" + patch + ", dim=" + dim);
        }
        this.channels = channels;
        this.patch = patch;
        this.dim = dim;
        this.proj = child("proj", new Linear(channels * patch * patch, dim, rng));
    }

    /** {@code (B, C, H, W) -> (B, N, C P^2)}: the flattened patches, before the projection. */
    public Tensor patches(Tensor x) {
        if (x.dim() != 4 || x.size(1) != channels || x.size(2) % patch != 0 || x.size(3) % patch != 0) {
            throw new IllegalArgumentException("PatchEmbedding(channels=" + channels + ", patch=" + patch
                    + "): input " + Shape.format(x.shape()) + " must be (B, " + channels
                    + ", H, W) with H and W multiples of " + patch);
        }
        int b = x.size(0);
        int rows = x.size(2) / patch;
        int cols = x.size(3) / patch;
        return x.reshape(b, channels, rows, patch, cols, patch)     // (B, C, H/P, P, W/P, P)
                .permute(0, 2, 4, 1, 3, 5)                           // (B, H/P, W/P, C, P, P)
                .reshape(b, rows * cols, channels * patch * patch);  // (B, N, C P^2)
    }

    /** {@code (B, C, H, W) -> (B, N, D)}. */
    @Override
    public Tensor forward(Tensor x) {
        return proj.forward(patches(x));                             // (B, N, D)
    }

    @Override
    protected String describe() {
        return "channels=" + channels + ", patch=" + patch + ", dim=" + dim;
    }
}
