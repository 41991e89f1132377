package dev.gradbook.examples.language;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.Digits;
import dev.gradbook.examples.plot.ImageGrid;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.CosineAnnealingLR;
import dev.gradbook.transformer.vit.VisionTransformer;

import java.util.List;

/**
 * <h2>vision-transformer: an image is worth 16 words</h2>
 *
 * <p>A transformer reads a sequence of tokens. Dosovitskiy et al. (2021, "An Image is Worth
 * 16x16 Words: Transformers for Image Recognition at Scale", section 3.1) made an image into one:
 * cut it into {@code P x P} patches, flatten each patch and project it linearly to {@code D}
 * channels (equation 1), put a learned {@code [class]} token in front, add learned position
 * embeddings, and run a standard transformer encoder; the final {@code [class]} vector is
 * classified (equation 4):
 * <pre>
 *   z_0 = [x_class; x_p^1 E; ...; x_p^N E] + E_pos        N = HW / P^2 patches
 *   y = LayerNorm(Encoder(z_0)[0]) W_head
 * </pre>
 * Nothing in the model says that patch 5 is next to patch 6: unlike a convolution, a ViT has no
 * built-in notion of locality, and must learn the 2-D layout through its position embeddings.
 *
 * <p>Here: MNIST, 28 x 28 digits cut into 16 patches of 7 x 7 (17 tokens with {@code [class]}),
 * {@code D} 64, 2 encoder layers of 4 heads ({@link VisionTransformer}), AdamW with a cosine
 * schedule.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Test accuracy on the 10,000 MNIST test digits after 800 steps of 128 (1.7 epochs):
 *       default run, seed 42, 0.967; below the CNN of {@code cnn} (0.987 after one epoch):
 *       without a convolution's built-in locality a ViT needs more data or more steps. A ViT step
 *       costs far more than a CNN step here: the default run took 108 s of CPU time (two
 *       threads) on a heavily loaded machine.</li>
 *   <li>{@code positions.png}: for each of the 16 patches, the cosine similarity of its position
 *       embedding to every patch's, drawn on the 4 x 4 grid of patches. Learned from scratch, the
 *       embeddings come out most similar to their neighbours and to the same row and column:
 *       the model found the image's 2-D layout (the paper's figure 7, centre).</li>
 * </ul>
 * With {@code --quick}: 150 steps of 64 of the first 10,000 training images, scored on 1,000
 * test images: well above chance (about 0.7), far from done.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --patch 4}: 49 patches of 4 x 4. Better accuracy? At what cost per step?</li>
 *   <li>{@code --patch 14}: only 4 patches. What does the model lose?</li>
 *   <li>{@code --steps 2000}: how close does the ViT come to the CNN?</li>
 * </ol>
 */
public final class VisionTransformerChapter implements Chapter {
    private static final int DIM = 64;

    @Override
    public String id() {
        return "vision-transformer";
    }

    @Override
    public Part part() {
        return Part.LANGUAGE;
    }

    @Override
    public String summary() {
        return "ViT: MNIST digits as sequences of patches; accuracy and the learned position embeddings";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.choice("patch", "7", "patch side in pixels (28 must be a multiple)", "2", "4", "7", "14"),
                Option.positiveInt("layers", "2", "encoder layers"),
                Option.positiveInt("batch-size", "128", "images per step"),
                Option.positiveFloat("lr", "3e-3", "peak AdamW learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Digits.Data train = Digits.load(ctx, "mnist", "train");
        Digits.Data test = Digits.load(ctx, "mnist", "t10k");
        if (ctx.quick()) {
            train = train.first(10_000);
            test = test.first(1_000);
        }
        int patch = ctx.intOption("patch");
        int batch = ctx.quick() ? 64 : ctx.intOption("batch-size");
        int steps = ctx.steps(800, 150);
        Rng rng = ctx.rng();
        VisionTransformer vit = new VisionTransformer(Digits.SIDE, 1, patch, DIM, ctx.intOption("layers"), 4,
                Digits.CLASSES, rng.split());
        int grid = Digits.SIDE / patch;
        ctx.printf("%d x %d patches of %d x %d pixels + [class] = %d tokens of %d channels; %,d parameters%n", grid,
                grid, patch, patch, grid * grid + 1, DIM, vit.parameterCount());
        ctx.printf("training %d steps of %d images (%.2f epochs)%n", steps, batch, (double) steps * batch / train.size());
        float lr = ctx.floatOption("lr");
        AdamW optimizer = new AdamW(vit.namedParameters(), lr);
        long start = System.nanoTime();
        Digits.train(vit, Digits.Layout.CHANNELS, optimizer, new CosineAnnealingLR(lr, steps, 0f), train, batch, steps,
                rng.nextLong(), ctx.progress("ViT", steps), null);
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = Digits.accuracy(vit, Digits.Layout.CHANNELS, test);
        ctx.printf("test accuracy %.4f on %,d images (%.1f s of training)%n", accuracy, test.size(), seconds);
        drawPositions(ctx, vit, grid);
        return new Result().metric("test_accuracy", accuracy).metric("steps", steps)
                .metric("parameters", vit.parameterCount());
    }

    /** For each patch, its position embedding's cosine similarity to every patch's, on the patch grid. */
    private static void drawPositions(ChapterContext ctx, VisionTransformer vit, int grid) {
        Tensor e = vit.positionEmbeddings().detach().narrow(0, 1, grid * grid);           // (N, D), no [class]
        Tensor unit = e.div(e.square().sum(1, true).sqrt());
        Tensor sim = unit.matmulT(unit);                                                   // (N, N)
        ImageGrid pictures = new ImageGrid("Position-embedding similarity of each patch to every other", grid)
                .scale(Math.max(4, 96 / grid)).range(-1f, 1f);
        for (int i = 0; i < grid * grid; i++) {
            pictures.add(sim.select(0, i).reshape(grid, grid), "patch " + (i / grid) + "," + (i % grid));
        }
        pictures.save(ctx.outFile("positions.png"));
        ctx.println("picture: positions.png in " + ctx.outDir());
    }
}
