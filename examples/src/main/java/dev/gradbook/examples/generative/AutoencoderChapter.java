package dev.gradbook.examples.generative;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.generative.Autoencoder;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.Arrays;
import java.util.List;

/**
 * <h2>autoencoder: a bottleneck that must remember the digit</h2>
 *
 * <p>An autoencoder is trained to copy its input through a narrow code: an encoder MLP maps a
 * 784-pixel digit to J numbers, a decoder MLP maps them back (Hinton and Salakhutdinov, "Reducing
 * the dimensionality of data with neural networks", Science 2006):
 * <pre>
 *   z = enc(x)  (B, J),   x_hat = sigmoid(dec(z))  (B, 784),
 *   loss = -sum over pixels of [ x log x_hat + (1 - x) log(1 - x_hat) ]   (binary cross-entropy)
 * </pre>
 * Since J is far below 784, the network has to find what digits have in common (strokes, their
 * thickness and slant) and store only how this one differs. The <em>denoising</em> autoencoder
 * (Vincent et al., "Extracting and composing robust features with denoising autoencoders", ICML
 * 2008, section 2.3) gets a corrupted input {@code x~ = x + noise} and must still produce the
 * clean x, so it learns what a digit looks like rather than the identity.
 *
 * <p>Three networks, all 784-256-J with the decoder mirrored, Adam: a plain autoencoder with a
 * 32-number code, a denoising one with the same code trained on digits plus Gaussian noise
 * ({@code --noise}, clamped to [0, 1]), and one with a 2-number code whose codes we can draw.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Reconstruction error on test digits (mean squared error per pixel) against the simplest
 *       "model": every digit replaced by the mean training image. The 32-number code is several
 *       times better; the 2-number code sits in between.</li>
 *   <li>{@code reconstructions.png}: test digits (odd rows) and their reconstructions (even rows):
 *       slightly blurred, the right digit.</li>
 *   <li>{@code denoised.png}: clean, noisy, the plain autoencoder's and the denoising
 *       autoencoder's outputs. The table gives the error to the clean digit for each; the
 *       denoising autoencoder removes most of the noise.</li>
 *   <li>{@code latent-map.png}: test digits placed at their 2-D code, coloured by their label,
 *       which the autoencoder never saw: digits of a class land together. The chapter measures it
 *       with a nearest-class-centre classifier in that plane.</li>
 *   <li>{@code interpolation.png}: decoding the codes on the straight line between two test
 *       digits' codes. Between them the pictures are often not digits at all: nothing asked the
 *       code space to be filled in (the VAE of the next chapter does).</li>
 * </ul>
 * Default run: 20,000 training and 2,000 test images, 1,200 steps of 64 per network, about
 * 30 seconds of CPU. At seed 42 the test errors were: mean image 0.0642, code 32 0.0103, code 2
 * 0.0457; noisy digits 0.1156, the plain autoencoder on them 0.0951, the denoising one 0.0219;
 * the nearest-class-centre rule on the 2-D codes was right for 48.2% of test digits. With {@code --quick}: 5,000 images, 200 steps.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --latent 8} and {@code --latent 128}: how does the test error change, and where does
 *       it stop improving?</li>
 *   <li>{@code --noise 0.8}: how much noise can the denoising autoencoder still remove?</li>
 *   <li>{@code --steps 4000}: does the 2-D map separate the classes better with more training?</li>
 * </ol>
 */
public final class AutoencoderChapter implements Chapter {
    private static final int HIDDEN = 256;

    @Override
    public String id() {
        return "autoencoder";
    }

    @Override
    public Part part() {
        return Part.GENERATIVE;
    }

    @Override
    public String summary() {
        return "autoencoder and denoising autoencoder on MNIST: reconstructions, denoised digits, a 2-D latent map";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("latent", "32", "code size of the plain and denoising autoencoders"),
                Option.nonNegativeFloat("noise", "0.5",
                        "standard deviation of the Gaussian noise the denoising autoencoder removes"),
                Option.positiveFloat("lr", "2e-3", "Adam learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        MnistDigits.Data train = MnistDigits.load(ctx, "train", ctx.quick() ? 5_000 : 20_000);
        MnistDigits.Data test = MnistDigits.load(ctx, "t10k", ctx.quick() ? 500 : 2_000);
        int steps = ctx.steps(1_200, 200);
        int latent = ctx.intOption("latent");
        float noise = ctx.floatOption("noise");
        float lr = ctx.floatOption("lr");
        Rng rng = ctx.rng();
        ctx.printf("MNIST: %,d training and %,d test images; %d steps of 64 per network%n", train.size(), test.size(), steps);

        ctx.section("a " + latent + "-number code");
        Autoencoder plain = new Autoencoder(new int[] {MnistDigits.PIXELS, HIDDEN, latent}, rng.split());
        train(plain, train, steps, lr, 0f, rng.split(), ctx.progress("autoencoder", steps));
        ctx.section("a denoising autoencoder (noise std " + noise + ")");
        Autoencoder denoising = new Autoencoder(new int[] {MnistDigits.PIXELS, HIDDEN, latent}, rng.split());
        train(denoising, train, steps, lr, noise, rng.split(), ctx.progress("denoising", steps));
        ctx.section("a 2-number code, to draw");
        Autoencoder flat = new Autoencoder(new int[] {MnistDigits.PIXELS, HIDDEN, 2}, rng.split());
        train(flat, train, steps, lr, 0f, rng.split(), ctx.progress("2-D code", steps));

        Tensor noisy = corrupt(test.images(), noise, new Rng(ctx.seed() + 1));
        Result result = reportErrors(ctx, train, test, noisy, plain, denoising, flat);
        double separation = latentMap(ctx, flat, test);
        savePictures(ctx, test, noisy, plain, denoising);
        return result.metric("latent_centroid_accuracy", separation).metric("steps", steps);
    }

    /**
     * Trains {@code ae} for {@code steps} Adam steps on random batches of 64, each input corrupted
     * by Gaussian noise of std {@code noise} (0: none) and compared with the clean digit. Returns the losses.
     */
    static double[] train(Autoencoder ae, MnistDigits.Data data, int steps, float lr, float noise, Rng rng,
                          ProgressReporter progress) {
        Adam adam = new Adam(ae.namedParameters(), lr);
        double[] losses = new double[steps];
        for (int step = 0; step < steps; step++) {
            Tensor x = data.batch(rng, 64).images();                                   // (64, 784)
            Tensor input = noise > 0 ? corrupt(x, noise, rng) : x;
            Tensor loss = Losses.binaryCrossEntropyWithLogits(ae.forward(input), x);   // per pixel
            adam.zeroGrad();
            loss.backward();
            adam.step();
            losses[step] = loss.item();
            progress.update(step + 1, losses[step], 64);
        }
        return losses;
    }

    /** {@code clamp(x + noise * N(0, I), 0, 1)}. */
    static Tensor corrupt(Tensor x, float noise, Rng rng) {
        return x.add(Tensor.randn(rng, x.shape()).mul(noise)).clamp(0f, 1f);
    }

    /** Mean squared error per pixel between two image sets. */
    static double mse(Tensor a, Tensor b) {
        return a.sub(b).square().mean().item();
    }

    private static Tensor reconstruct(Autoencoder ae, Tensor x) {
        try (var noGrad = Autograd.noGrad()) {
            return ae.reconstruct(x);
        }
    }

    private static Result reportErrors(ChapterContext ctx, MnistDigits.Data train, MnistDigits.Data test, Tensor noisy,
                                       Autoencoder plain, Autoencoder denoising, Autoencoder flat) {
        Tensor clean = test.images();
        Tensor meanImage = train.images().mean(0, true).expand(clean.shape());
        double baseline = mse(meanImage, clean);
        double plainError = mse(reconstruct(plain, clean), clean);
        double flatError = mse(reconstruct(flat, clean), clean);
        double noisyError = mse(noisy, clean);
        double plainOnNoisy = mse(reconstruct(plain, noisy), clean);
        double denoised = mse(reconstruct(denoising, noisy), clean);
        ctx.section("reconstruction error on test digits (mean squared error per pixel)");
        ctx.table(List.of("model", "input", "error to the clean digit"), List.of(
                List.of("mean training image", "-", fmt(baseline)),
                List.of("autoencoder, code " + plain.latent, "clean", fmt(plainError)),
                List.of("autoencoder, code 2", "clean", fmt(flatError)),
                List.of("no model (the noisy digit itself)", "noisy", fmt(noisyError)),
                List.of("autoencoder, code " + plain.latent, "noisy", fmt(plainOnNoisy)),
                List.of("denoising autoencoder", "noisy", fmt(denoised))));
        return new Result()
                .metric("mean_image_mse", baseline)
                .metric("reconstruction_mse", plainError)
                .metric("code2_reconstruction_mse", flatError)
                .metric("noisy_mse", noisyError)
                .metric("plain_on_noisy_mse", plainOnNoisy)
                .metric("denoised_mse", denoised);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /** Draws the 2-D codes of the test digits and returns the accuracy of a nearest-class-centre rule on them. */
    private static double latentMap(ChapterContext ctx, Autoencoder flat, MnistDigits.Data test) {
        Tensor z;
        try (var noGrad = Autograd.noGrad()) {
            z = flat.encode(test.images()); // (N, 2)
        }
        double[] x = new double[test.size()];
        double[] y = new double[test.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = z.get(i, 0);
            y[i] = z.get(i, 1);
        }
        double accuracy = LatentPlane.centroidAccuracy(x, y, test.labels());
        new ScatterPlot("Test digits at their 2-D code (colour = label, never seen in training)", "z1", "z2")
                .points(x, y, test.labels()).classNames(Arrays.asList(MnistDigits.NAMES)).save(ctx.outFile("latent-map.png"));
        ctx.printf("2-D codes: a nearest-class-centre rule on them is right for %.1f%% of test digits (chance 10%%)%n",
                100 * accuracy);
        return accuracy;
    }

    private static void savePictures(ChapterContext ctx, MnistDigits.Data test, Tensor noisy, Autoencoder plain,
                                     Autoencoder denoising) {
        Tensor originals = test.images().narrow(0, 0, 10);
        DigitPictures.save(ctx.outFile("reconstructions.png"), "Test digits (rows 1, 3) and reconstructions (rows 2, 4)",
                Tensor.cat(List.of(originals.narrow(0, 0, 5), reconstruct(plain, originals).narrow(0, 0, 5),
                        originals.narrow(0, 5, 5), reconstruct(plain, originals).narrow(0, 5, 5)), 0), 5, null);
        Tensor n = noisy.narrow(0, 0, 8);
        DigitPictures.save(ctx.outFile("denoised.png"), "Rows: clean, noisy, autoencoder, denoising autoencoder",
                Tensor.cat(List.of(originals.narrow(0, 0, 8), n, reconstruct(plain, n), reconstruct(denoising, n)), 0), 8, null);
        try (var noGrad = Autograd.noGrad()) {
            Tensor ends = plain.encode(test.images().narrow(0, 0, 2)); // (2, J)
            Tensor path = LatentPlane.interpolate(ends.select(0, 0), ends.select(0, 1), 10);
            DigitPictures.save(ctx.outFile("interpolation.png"), "Decoding the straight line between two test digits' codes",
                    plain.decode(path).sigmoid(), 10, null);
        }
        ctx.println("pictures: reconstructions.png, denoised.png, latent-map.png, interpolation.png in " + ctx.outDir());
    }
}
