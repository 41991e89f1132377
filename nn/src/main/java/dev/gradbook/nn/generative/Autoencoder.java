package dev.gradbook.nn.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;

/**
 * An autoencoder: an encoder MLP squeezes the input through a narrow code {@code z}, a decoder
 * MLP (the encoder's sizes mirrored) rebuilds the input from it,
 * <pre>
 *   x (B, D) -> encoder -> z (B, J) -> decoder -> logits (B, D),   x_hat = sigmoid(logits)
 * </pre>
 * trained to make {@code x_hat} close to {@code x} (Hinton and Salakhutdinov, "Reducing the
 * dimensionality of data with neural networks", Science 2006). The decoder returns logits so
 * that the reconstruction loss can be the binary cross-entropy on logits, which is stable; a
 * denoising autoencoder (Vincent et al., ICML 2008, section 2.3) is the same network fed a
 * corrupted {@code x} and asked for the clean one.
 */
public class Autoencoder extends Layer {
    public final MLP encoder;
    public final MLP decoder;
    public final int latent;

    /** {@code sizes = {D, h1, ..., J}}: the encoder's layer sizes; the decoder runs them backwards. */
    public Autoencoder(int[] sizes, Rng rng) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Autoencoder: needs at least an input and a code size, got "
                    + java.util.Arrays.toString(sizes));
        }
        int[] back = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            back[i] = sizes[sizes.length - 1 - i];
        }
        this.latent = sizes[sizes.length - 1];
        this.encoder = child("encoder", new MLP(sizes, ReLU::new, rng));
        this.decoder = child("decoder", new MLP(back, ReLU::new, rng));
    }

    /** The code {@code (B, J)} of inputs {@code (B, D)}. */
    public Tensor encode(Tensor x) {
        return encoder.forward(x);
    }

    /** The decoder's logits {@code (B, D)} for codes {@code (B, J)}. */
    public Tensor decode(Tensor z) {
        return decoder.forward(z);
    }

    /** Logits of the reconstruction, {@code (B, D) -> (B, D)}. */
    @Override
    public Tensor forward(Tensor x) {
        return decode(encode(x));
    }

    /** The reconstruction in (0, 1): {@code sigmoid(forward(x))}. */
    public Tensor reconstruct(Tensor x) {
        return forward(x).sigmoid();
    }
}
