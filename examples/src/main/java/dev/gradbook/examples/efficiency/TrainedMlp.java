package dev.gradbook.examples.efficiency;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.neural.Digits;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.CosineAnnealingLR;

import java.io.IOException;

/**
 * What the Part 9 chapters start from: an MLP trained on MNIST for a few seconds, and the data it
 * was trained and is tested on. Each chapter then makes it smaller, faster or clearer.
 */
record TrainedMlp(MLP model, int[] sizes, Digits.Data train, Digits.Data test, double accuracy) {
    static final int[] SIZES = {Digits.PIXELS, 256, 128, Digits.CLASSES};

    /** Loads MNIST (the first {@code trainSize} training and {@code testSize} test images) and trains for one epoch. */
    static TrainedMlp train(ChapterContext ctx, int[] sizes, int trainSize, int testSize, Rng rng) throws IOException {
        Digits.Data train = Digits.load(ctx, "mnist", "train").first(trainSize);
        Digits.Data test = Digits.load(ctx, "mnist", "t10k").first(testSize);
        MLP model = new MLP(sizes, ReLU::new, rng.split());
        fit(ctx, "MLP " + java.util.Arrays.toString(sizes), model, train, 32, trainSize / 32, 1e-3f, rng.nextLong());
        double accuracy = Digits.accuracy(model, Digits.Layout.FLAT, test);
        ctx.printf("MLP %s: %,d parameters, test accuracy %.2f%% on %,d images%n", java.util.Arrays.toString(sizes),
                model.parameterCount(), 100 * accuracy, test.size());
        return new TrainedMlp(model, sizes, train, test, accuracy);
    }

    /** {@code steps} AdamW steps (learning rate {@code lr} cosine-decayed to 0) of cross-entropy on {@code data}. */
    static double[] fit(ChapterContext ctx, String label, MLP model, Digits.Data data, int batch, int steps, float lr,
                        long seed) {
        AdamW opt = new AdamW(model.namedParameters(), new AdamW.Config(lr, 0.9f, 0.999f, 1e-8f, 0.01f));
        return Digits.train(model, Digits.Layout.FLAT, opt, new CosineAnnealingLR(lr, steps, 0f), data, batch, steps,
                seed, ctx.progress(label, steps), null);
    }

    /** A fresh MLP of the same sizes holding a copy of this one's weights. */
    MLP copy() {
        MLP m = new MLP(sizes(), ReLU::new, new Rng(0));
        m.loadStateDict(model.stateDict());
        return m;
    }
}
