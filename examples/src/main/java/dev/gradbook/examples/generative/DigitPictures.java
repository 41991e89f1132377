package dev.gradbook.examples.generative;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.plot.ImageGrid;

import java.nio.file.Path;

/** Rows of 784 pixel values drawn as 28 x 28 digits on one grey scale, black 0 to white 1. */
final class DigitPictures {
    private DigitPictures() {
    }

    /** Saves images {@code (N, 784)} as a grid of {@code columns}; captions may be null. */
    static void save(Path file, String title, Tensor images, int columns, String[] captions) {
        ImageGrid grid = new ImageGrid(title, columns).scale(2).range(0f, 1f);
        for (int i = 0; i < images.size(0); i++) {
            Tensor digit = images.select(0, i).reshape(MnistDigits.SIDE, MnistDigits.SIDE);
            grid.add(digit, captions == null ? "" : captions[i]);
        }
        grid.save(file);
    }

    /** Images {@code (N, 784)} in [-1, 1] (the range the GANs and diffusion models work in) mapped to [0, 1]. */
    static Tensor fromSigned(Tensor images) {
        return images.add(1f).mul(0.5f).clamp(0f, 1f);
    }
}
