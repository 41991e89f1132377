package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;

import java.util.List;

/**
 * <h2>conditional-gan: a GAN told which digit to draw</h2>
 *
 * <p>Mirza and Osindero ("Conditional Generative Adversarial Nets", 2014, section 3.2) feed the
 * label {@code y} to both players: the generator draws {@code G(z, y)}, the discriminator judges
 * the pair {@code D(x, y)}, and the game of {@code gan} becomes
 * <pre>
 *   min_G max_D  E_(x,y)[ log D(x, y) ] + E_(z,y)[ log(1 - D(G(z, y), y)) ]
 * </pre>
 * A generator that ignores y now loses: a perfect "3" presented as a 7 is a fake. The networks,
 * losses and optimizer are those of {@code gan}'s digit GAN with the one-hot label appended to
 * each input ({@code DigitGan}).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>{@code chosen-digits.png}: row d holds ten samples asked to be digit d.</li>
 *   <li>The judge recognises the requested digit in the printed fraction of 1,000 samples, with
 *       the per-digit breakdown (the roadmap's bar is 80%); FID and Inception Score beside real
 *       digits and noise.</li>
 *   <li>{@code digits-over-training.png}: the ten digits for fixed noise at six moments of training:
 *       the label is obeyed early, the strokes sharpen later.</li>
 * </ul>
 * Default run: 20,000 images, 2,500 steps of 64; under a minute on two cores. At seed 42 the judge
 * recognised the requested digit in 67.3% of the samples: below the roadmap's 80% bar (1 and 3
 * above 85%; 5, 8 and 9 under 45%). The samples themselves are good (FID 17.0, Inception Score
 * 7.22, the best of this part); obeying the label is what comes late in a conditional GAN of
 * MLPs. Exercise 3 asks what closes the gap. {@code --quick}: 5,000
 * images, 600 steps (too few for the label to be obeyed: recognition near chance).
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --lr 2e-4} (DCGAN's rate): compare the recognition rate at the same number of steps.</li>
 *   <li>Compare the FID with {@code conditional-vae}'s: which family makes the sharper digits, which the more varied?</li>
 *   <li>{@code --steps 6000}: does the recognition rate pass 80%?</li>
 * </ol>
 */
public final class ConditionalGanChapter implements Chapter {
    @Override
    public String id() {
        return "conditional-gan";
    }

    @Override
    public Part part() {
        return Part.GENERATIVE;
    }

    @Override
    public String summary() {
        return "class-conditional GAN: a grid of chosen digits and the judge's recognition rate";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positiveFloat("lr", "1e-3", "Adam learning rate of both players"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        MnistDigits.Data train = MnistDigits.load(ctx, "train", ctx.quick() ? 5_000 : 20_000);
        MnistDigits.Data test = MnistDigits.load(ctx, "t10k", ctx.quick() ? 500 : 2_000);
        int steps = ctx.steps(2_500, 600);
        Rng rng = ctx.rng();
        DigitGan gan = new DigitGan(true, rng.split());
        ctx.printf("MNIST: %,d training images; %d steps of 64%n", train.size(), steps);
        Tensor probe = Tensor.randn(new Rng(ctx.seed() + 5), 10, DigitGan.NOISE);
        List<Tensor> snapshots = gan.train(train, steps, ctx.floatOption("lr"), rng.split(), probe, ChosenDigits.ALL, 6,
                new double[steps], new double[steps], ctx.progress("conditional GAN", steps));

        int[] requested = MnistDigits.repeatEach(ChosenDigits.ALL, 100);
        Tensor samples = gan.sample(requested, new Rng(ctx.seed() + 3));
        Judge judge = Judge.get(ctx);
        double recognised = ChosenDigits.report(ctx, judge, samples, requested);
        ChosenDigits.saveGrid(ctx, samples, "chosen-digits.png", "Conditional GAN: row d asked for digit d");
        DigitPictures.save(ctx.outFile("digits-over-training.png"), "Digits 0..9 from fixed noise after each sixth of training",
                Tensor.cat(snapshots, 0), 10, null);
        ctx.println("pictures: chosen-digits.png, digits-over-training.png in " + ctx.outDir());
        return Judged.of(ctx, judge, samples, test.images()).into(new Result()).metric("recognised", recognised);
    }
}
