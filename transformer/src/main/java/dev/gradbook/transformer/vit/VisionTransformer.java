package dev.gradbook.transformer.vit;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Linear;
import dev.gradbook.transformer.position.LearnedPositionalEmbedding;
import dev.gradbook.transformer.seq2seq.Encoder;

/**
 * The Vision Transformer, ViT (Dosovitskiy et al. 2021, section 3.1, equations 1-4): patches as
 * tokens ({@link PatchEmbedding}), a learned {@code [class]} token in front, learned position
 * embeddings, a transformer encoder, and a linear classifier on the final {@code [class]} vector:
 * <pre>
 *   z_0 = [x_class; x_p^1 E; ...; x_p^N E] + E_pos          (B, N+1, D)
 *   z_L = Encoder(z_0)                                       (B, N+1, D), every token sees every other
 *   y = LayerNorm(z_L[:, 0]) W_head                          (B, classes)
 * </pre>
 * The encoder is the post-LN encoder of {@link Encoder} with GELU (the paper places LayerNorm
 * before each sub-layer; at this depth the two train alike). Children: {@code patches},
 * {@code classToken} (a parameter), {@code positions}, {@code encoder}, {@code norm}, {@code head}.
 */
public class VisionTransformer extends Layer {
    public final int imageSize;
    public final int patch;
    private final PatchEmbedding patches;
    private final Tensor classToken;
    private final LearnedPositionalEmbedding positions;
    private final Encoder encoder;
    private final LayerNorm norm;
    private final Linear head;

    /**
     * A ViT for square {@code imageSize} images of {@code channels} channels, cut in patches of
     * {@code patch}; {@code dim} channels per token, {@code layers} encoder layers of {@code heads}
     * heads with a feed-forward layer of {@code 2 dim}, and {@code classes} outputs.
     */
    public VisionTransformer(int imageSize, int channels, int patch, int dim, int layers, int heads, int classes,
                             Rng rng) {
        if (imageSize % patch != 0) {
            throw new IllegalArgumentException("VisionTransformer: imageSize " + imageSize
                    + " is not a multiple of the patch size " + patch);
        }
        this.imageSize = imageSize;
        this.patch = patch;
        int tokens = (imageSize / patch) * (imageSize / patch) + 1;
        this.patches = child("patches", new PatchEmbedding(channels, patch, dim, rng));
        this.classToken = parameter("classToken", Tensor.normal(rng, 0f, 0.02f, 1, 1, dim));
        this.positions = child("positions", new LearnedPositionalEmbedding(tokens, dim, rng));
        this.encoder = child("encoder", new Encoder(layers, dim, heads, 2 * dim, GELU::exact, 0f, rng));
        this.norm = child("norm", new LayerNorm(dim));
        this.head = child("head", new Linear(dim, classes, rng));
    }

    /** {@code images (B, C, H, W)} -> logits {@code (B, classes)}. */
    @Override
    public Tensor forward(Tensor images) {
        if (images.dim() != 4 || images.size(2) != imageSize || images.size(3) != imageSize) {
            throw new IllegalArgumentException("VisionTransformer(imageSize=" + imageSize + "): images "
                    + Shape.format(images.shape()) + " must be (B, C, " + imageSize + ", " + imageSize + ")");
        }
        int b = images.size(0);
        Tensor tokens = patches.forward(images);                                     // (B, N, D)
        Tensor cls = classToken.expand(b, 1, classToken.size(2));                    // (B, 1, D)
        Tensor z = Tensor.cat(java.util.List.of(cls, tokens), 1);                    // (B, N+1, D)
        z = z.add(positions.forward(z.size(1), 0));                                  // (B, N+1, D) + (N+1, D)
        z = encoder.forward(z, null);                                                // (B, N+1, D)
        return head.forward(norm.forward(z.select(1, 0)));                           // (B, classes)
    }

    /** The learned position vectors {@code (N+1, D)}, the [class] token's first. */
    public Tensor positionEmbeddings() {
        return positions.weight;
    }
}
