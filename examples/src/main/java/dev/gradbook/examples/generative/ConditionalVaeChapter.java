package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.nn.generative.Vae;

import java.util.List;

/**
 * <h2>conditional-vae: asking for a particular digit</h2>
 *
 * <p>The VAE of {@code vae} samples digits, but we cannot choose which. A conditional VAE (Sohn,
 * Lee and Yan, "Learning Structured Output Representation using Deep Conditional Generative
 * Models", NeurIPS 2015, section 4) gives the label {@code c} (one-hot) to both networks, and
 * bounds the conditional likelihood instead:
 * <pre>
 *   log p(x | c)  >=  E_q(z|x,c)[ log p(x | z, c) ]  -  KL( q(z | x, c) || N(0, I) )
 * </pre>
 * Since the decoder is told the class, the code {@code z} no longer needs to store it; it keeps
 * what the label does not say: the style (slant, thickness, width). Sampling a chosen digit is
 * {@code z ~ N(0, I)}, {@code x = dec(z, c)}. Same networks as {@code vae} (784-256-J), plus 10
 * inputs on each side.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>{@code chosen-digits.png}: row d holds ten samples asked to be digit d.</li>
 *   <li>The judge (a separate digit classifier) recognises the requested digit in the printed
 *       fraction of 1,000 samples (100 per digit), with the per-digit breakdown. The roadmap's
 *       bar is 80%.</li>
 *   <li>{@code style-transfer.png}: each row keeps one code z and changes only the label: the
 *       same style written as 0, 1, ..., 9.</li>
 * </ul>
 * Default run: 20,000 images, 2,000 steps of 64, a 4-number code; about 30 seconds on two cores.
 * At seed 42 the judge recognised the requested digit in 92.5% of the 1,000 samples (84% for 0
 * and 70% for 1, the weakest; 94-100% for the rest); FID 46.3, Inception Score 7.72. With a
 * 16-number code it was 61.9%: the code then carries the class and the decoder listens less to
 * the label.
 * {@code --quick}: 5,000 images, 500 steps.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --latent 16}: a larger code can store the class itself, and the decoder may
 *       then listen less to the label. What happens to the recognition rate?</li>
 *   <li>{@code --steps 200}: how early does the model learn to obey the label?</li>
 * </ol>
 */
public final class ConditionalVaeChapter implements Chapter {
    @Override
    public String id() {
        return "conditional-vae";
    }

    @Override
    public Part part() {
        return Part.GENERATIVE;
    }

    @Override
    public String summary() {
        return "class-conditional VAE: a grid of chosen digits, the judge's recognition rate, one style across labels";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("latent", "4", "size of the code z (small, so that the label carries the digit)"),
                Option.positiveFloat("lr", "2e-3", "Adam learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        MnistDigits.Data train = MnistDigits.load(ctx, "train", ctx.quick() ? 5_000 : 20_000);
        MnistDigits.Data test = MnistDigits.load(ctx, "t10k", ctx.quick() ? 500 : 2_000);
        int steps = ctx.steps(2_000, 500);
        Rng rng = ctx.rng();
        Vae cvae = new Vae(MnistDigits.PIXELS, VaeChapter.HIDDEN, ctx.intOption("latent"), MnistDigits.CLASSES, rng.split());
        ctx.printf("MNIST: %,d training images; %d steps of 64%n", train.size(), steps);
        VaeChapter.train(cvae, train, train.oneHot(), steps, ctx.floatOption("lr"), 1f, rng.split(), ctx.progress("cvae", steps));
        Vae.Elbo elbo = VaeChapter.testElbo(cvae, test, test.oneHot(), new Rng(ctx.seed() + 7));
        ctx.printf("test negative ELBO %.1f nats per digit (reconstruction %.1f + KL %.1f)%n", elbo.loss().item(),
                elbo.reconstruction().mean().item(), elbo.kl().mean().item());

        int[] requested = MnistDigits.repeatEach(ChosenDigits.ALL, 100);
        Tensor samples = VaeChapter.sample(cvae, MnistDigits.Data.oneHotOf(requested), requested.length, new Rng(ctx.seed() + 3));
        Judge judge = Judge.get(ctx);
        double recognised = ChosenDigits.report(ctx, judge, samples, requested);
        ChosenDigits.saveGrid(ctx, samples, "chosen-digits.png", "Conditional VAE: row d asked for digit d");
        saveStyleTransfer(ctx, cvae);
        return Judged.of(ctx, judge, samples, test.images()).into(new Result())
                .metric("recognised", recognised)
                .metric("test_neg_elbo", elbo.loss().item());
    }

    private static void saveStyleTransfer(ChapterContext ctx, Vae cvae) {
        Tensor z = Tensor.randn(new Rng(ctx.seed() + 11), 5, cvae.latent);          // 5 styles
        int[] labels = new int[50];
        int[] rows = new int[50];
        for (int i = 0; i < 50; i++) {
            rows[i] = i / 10;
            labels[i] = i % 10;
        }
        Tensor codes = z.indexSelect(0, rows);                                        // (50, J)
        Tensor images;
        try (var noGrad = dev.gradbook.core.Autograd.noGrad()) {
            images = cvae.decode(codes, MnistDigits.Data.oneHotOf(labels)).sigmoid();
        }
        DigitPictures.save(ctx.outFile("style-transfer.png"), "One code z per row, labels 0..9 across", images, 10, null);
        ctx.println("pictures: chosen-digits.png, style-transfer.png in " + ctx.outDir());
    }
}
