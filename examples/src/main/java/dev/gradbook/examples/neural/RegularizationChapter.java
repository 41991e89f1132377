package dev.gradbook.examples.neural;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.data.Batch;
import dev.gradbook.nn.data.DataLoader;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.train.EarlyStopping;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * <h2>regularization: overfitting, and five ways to fight it</h2>
 *
 * <p>A network with far more parameters than training examples can memorise them: the training
 * loss goes to zero while the loss on new data stops falling and then rises. Regularisation is
 * anything that trades a little training fit for better generalisation (Goodfellow, Bengio and
 * Courville, <i>Deep Learning</i>, chapter 7). Here a wide network (64-256-256-10, about 84,000
 * weights) learns the 8x8 digits from only 150 examples, a fifth of which carry a wrong,
 * random label: a network big enough can learn even random labels by heart (Zhang et al.,
 * "Understanding deep learning requires rethinking generalization", ICLR 2017), and learning
 * the wrong ones is exactly what hurts it on new digits. It is trained once plainly and once
 * with each of:
 * <pre>
 *   L2 (weight decay)   L = CE + lambda_2 sum w^2      gradient 2 lambda_2 w: shrinks every weight    (section 7.1.1)
 *   L1                  L = CE + lambda_1 sum |w|      gradient lambda_1 sign(w): pushes weights to 0 (section 7.1.2)
 *   dropout             zero each hidden unit with probability p in training, scale the rest by 1/(1-p)
 *                       (Srivastava et al., JMLR 15, 2014): no unit can rely on any other one
 *   data augmentation   half the time, shift a training image by -1, 0 or +1 pixels in x and y, anew each
 *                       time it is seen: a digit moved a little is the same digit (section 7.4)
 *   early stopping      keep the weights of the epoch with the lowest validation loss and stop once it has
 *                       not improved for a while (section 7.8; Prechelt 1998)
 * </pre>
 * Penalties apply to weights, not biases (a bias cannot overfit much). With Adam, an L2 term in
 * the loss is not quite weight decay: Adam divides it by the gradient's running size, which is
 * why AdamW decouples the decay (see the {@code optimizers} chapter).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The plain network reaches training accuracy 1.0, wrong labels included; its validation
 *       accuracy peaks early (about 0.80) and then falls to about 0.67 as it memorises the
 *       noise, while its validation loss climbs: overfitting, drawn in every picture.</li>
 *   <li>Each technique keeps the final validation accuracy higher (about 0.72 to 0.76 against
 *       0.67) and the training accuracy below 1: it refuses to fit some of the wrong labels. L2
 *       shrinks the weight norm; L1 drives most weights to (nearly) zero, as the weight column
 *       shows.</li>
 *   <li>Early stopping picks the epoch of the lowest validation loss (in the twenties), and the
 *       restored weights give exactly that epoch's validation accuracy, about 0.79, instead of
 *       the 0.67 of the last epoch.</li>
 *   <li>Pictures, each the plain run against one technique (training and validation loss):
 *       {@code l2.png}, {@code l1.png}, {@code dropout.png}, {@code augmentation.png};
 *       {@code early-stopping.png} marks the chosen epoch.</li>
 * </ul>
 * {@code --quick} uses 128 hidden units and 60 epochs; the same ordering shows with smaller gaps.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Set the label noise to 0. How much does each technique still help?</li>
 *   <li>Combine dropout and augmentation. Do the gains add up?</li>
 *   <li>Replace the L2 penalty by AdamW's decoupled weight decay
 *       ({@code new AdamW(params, AdamW.Config.defaults().withLr(lr).withWeightDecay(lambda))}). Which
 *       strength gives the same validation accuracy, and which weights end up smaller?</li>
 * </ol>
 */
public final class RegularizationChapter implements Chapter {
    private static final float LEARNING_RATE = 1e-3f;
    private static final int BATCH = 30;
    private static final int PATIENCE = 15;
    private static final double LABEL_NOISE = 0.2;
    private static final double SHIFT_PROBABILITY = 0.5;

    /** One way to train: penalties on the weights, dropout after each hidden layer, shifted inputs. */
    record Setting(String name, float l2, float l1, float dropout, boolean augment) {
    }

    static final List<Setting> SETTINGS = List.of(
            new Setting("none", 0, 0, 0, false),
            new Setting("L2", 1e-2f, 0, 0, false),
            new Setting("L1", 0, 5e-4f, 0, false),
            new Setting("dropout", 0, 0, 0.5f, false),
            new Setting("augmentation", 0, 0, 0, true));

    /** Per-epoch losses and accuracies on the training and validation digits. */
    record History(List<Double> trainLoss, List<Double> valLoss, List<Double> trainAccuracy,
                   List<Double> valAccuracy) {
        History() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        int bestEpoch() {
            int best = 0;
            for (int e = 1; e < valAccuracy.size(); e++) {
                best = valAccuracy.get(e) > valAccuracy.get(best) ? e : best;
            }
            return best;
        }
    }

    @Override
    public String id() {
        return "regularization";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "overfitting a wide MLP on 150 noisy digits; L2, L1, dropout, augmentation, early stopping";
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        int hidden = ctx.quick() ? 128 : 256;
        int epochs = ctx.steps(150, 60);
        SmallTasks.Split clean = SmallTasks.digits(ctx, 150, ctx.quick() ? 400 : 1000, rng.nextLong());
        SmallTasks.Split digits = new SmallTasks.Split(noisyLabels(clean.train(), LABEL_NOISE, rng.split()),
                clean.val());
        long initSeed = rng.nextLong();
        long dataSeed = rng.nextLong();
        ctx.printf("64-%d-%d-10 ReLU (%,d weights), %d training digits (%.0f%% of labels randomised), "
                + "%d validation digits, Adam lr %s, %d epochs%n", hidden, hidden,
                64 * hidden + hidden * hidden + hidden * 10, digits.train().size(), 100 * LABEL_NOISE,
                digits.val().size(), LEARNING_RATE, epochs);

        Result result = new Result();
        List<History> histories = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        EarlyStopping early = new EarlyStopping(PATIENCE, 0, EarlyStopping.Mode.MIN);
        int[] stopEpoch = {-1};
        double restoredAccuracy = Double.NaN;
        for (Setting setting : SETTINGS) {
            MLP net = new MLP(new int[] {64, hidden, hidden, 10}, ReLU::new, setting.dropout(), new Rng(initSeed));
            boolean plain = setting.name().equals("none");
            History h = train(ctx, setting, net, digits, epochs, new Rng(dataSeed), plain ? early : null, stopEpoch);
            histories.add(h);
            int best = h.bestEpoch();
            double finalVal = last(h.valAccuracy());
            rows.add(List.of(setting.name(), f3(last(h.trainAccuracy())), f3(h.valAccuracy().get(best)),
                    Integer.toString(best + 1), f3(finalVal), f3(last(h.valLoss())), weightStats(net)));
            if (plain) {
                early.restoreBest(net);                             // back to the epoch early stopping chose
                restoredAccuracy = SmallTasks.accuracy(net, digits.val());
            }
            String key = setting.name().toLowerCase(Locale.ROOT);
            result.metric(key + "_best_val_accuracy", h.valAccuracy().get(best));
            result.metric(key + "_final_val_accuracy", finalVal);
        }
        ctx.section("results");
        ctx.table(List.of("setting", "train acc", "best val acc", "at epoch", "final val acc", "final val loss",
                "weights"), rows);

        History plain = histories.get(0);
        int bestLossEpoch = (int) early.bestStep();
        ctx.section("early stopping (patience " + PATIENCE + " epochs, on the validation loss of the plain run)");
        ctx.printf("lowest validation loss %.4f at epoch %d; training would stop at epoch %s%n", early.bestValue(),
                bestLossEpoch + 1, stopEpoch[0] < 0 ? "never (patience not used up)" : stopEpoch[0] + 1);
        ctx.printf("restored weights: validation accuracy %.3f (recorded at that epoch: %.3f; "
                + "after all %d epochs: %.3f)%n", restoredAccuracy, plain.valAccuracy().get(bestLossEpoch), epochs,
                last(plain.valAccuracy()));
        result.metric("early_stopping_best_epoch", bestLossEpoch + 1)
                .metric("early_stopping_stop_epoch", stopEpoch[0] + 1)
                .metric("early_stopping_restored_val_accuracy", restoredAccuracy)
                .metric("early_stopping_recorded_val_accuracy", plain.valAccuracy().get(bestLossEpoch))
                .metric("plain_min_val_loss", early.bestValue()).metric("plain_final_val_loss", last(plain.valLoss()))
                .metric("plain_final_train_loss", last(plain.trainLoss()));

        for (int s = 1; s < SETTINGS.size(); s++) {
            String name = SETTINGS.get(s).name();
            new LineChart("No regularisation vs " + name + ": training and validation loss", "epoch",
                    "cross-entropy").logY(true)
                    .series("none: train", plain.trainLoss()).series("none: validation", plain.valLoss())
                    .series(name + ": train", histories.get(s).trainLoss())
                    .series(name + ": validation", histories.get(s).valLoss())
                    .save(ctx.outFile(name.toLowerCase(Locale.ROOT) + ".png"));
        }
        double top = plain.valLoss().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double bottom = plain.trainLoss().stream().mapToDouble(Double::doubleValue).min().orElse(1e-3);
        new LineChart("Early stopping: the epoch of the lowest validation loss", "epoch", "cross-entropy").logY(true)
                .series("train", plain.trainLoss()).series("validation", plain.valLoss())
                .series("chosen epoch " + (bestLossEpoch + 1), new double[] {bestLossEpoch + 1, bestLossEpoch + 1},
                        new double[] {bottom, top})
                .save(ctx.outFile("early-stopping.png"));
        ctx.printf("pictures: l2.png, l1.png, dropout.png, augmentation.png, early-stopping.png in %s%n", ctx.outDir());
        return result;
    }

    /** Mini-batch Adam on CE plus the setting's penalties; feeds {@code early} (if any) the validation loss. */
    private static History train(ChapterContext ctx, Setting setting, MLP net, SmallTasks.Split digits, int epochs,
                                 Rng rng, EarlyStopping early, int[] stopEpoch) {
        Adam adam = new Adam(net.namedParameters(), LEARNING_RATE);
        DataLoader loader = new DataLoader(digits.train().toDataset(), BATCH, true, false, rng.nextLong());
        List<Tensor> weights = weights(net);
        ProgressReporter progress = ctx.progress(setting.name(), (long) epochs * loader.batchesPerEpoch());
        History h = new History();
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            net.train();
            for (Batch batch : loader.epoch(epoch)) {
                Tensor x = setting.augment() ? shift(batch.inputs(), rng) : batch.inputs();
                Tensor loss = Losses.crossEntropy(net.forward(x), batch.labels());
                for (Tensor w : weights) {
                    if (setting.l2() > 0) {
                        loss = loss.add(w.square().sum().mul(setting.l2()));
                    }
                    if (setting.l1() > 0) {
                        loss = loss.add(w.abs().sum().mul(setting.l1()));
                    }
                }
                adam.zeroGrad();
                loss.backward();
                adam.step();
                progress.update(++step, loss.item(), batch.size());
            }
            SmallTasks.Score train = SmallTasks.score(net, digits.train());
            SmallTasks.Score val = SmallTasks.score(net, digits.val());
            h.trainLoss().add(train.loss());
            h.trainAccuracy().add(train.accuracy());
            h.valLoss().add(val.loss());
            h.valAccuracy().add(val.accuracy());
            if (early != null && stopEpoch[0] < 0 && early.update(epoch, val.loss(), net)) {
                stopEpoch[0] = epoch;                               // keep training, to draw what would have followed
            }
        }
        progress.finish();
        return h;
    }

    /**
     * Every image of the batch (B, 64) moved by dx, dy in {-1, 0, 1} pixels (chosen per image),
     * with zeros shifted in at the border.
     */
    static Tensor shift(Tensor images, Rng rng) {
        int b = images.size(0);
        float[] in = images.data();
        float[] out = new float[in.length];
        for (int i = 0; i < b; i++) {
            boolean move = rng.nextDouble() < SHIFT_PROBABILITY;
            int dx = move ? rng.nextInt(3) - 1 : 0;
            int dy = move ? rng.nextInt(3) - 1 : 0;
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    int sr = r - dy;
                    int sc = c - dx;
                    if (sr >= 0 && sr < 8 && sc >= 0 && sc < 8) {
                        out[i * 64 + r * 8 + c] = in[i * 64 + sr * 8 + sc];
                    }
                }
            }
        }
        return Tensor.wrap(out, b, 64);
    }

    /** A copy of {@code data} in which each label is, with probability {@code rate}, replaced by a random class. */
    static LabeledData noisyLabels(LabeledData data, double rate, Rng rng) {
        int[] labels = data.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            if (rng.nextDouble() < rate) {
                labels[i] = rng.nextInt(data.numClasses());
            }
        }
        return new LabeledData(data.features(), labels, data.classNames());
    }

    /** The weight matrices (not the biases) of the network. */
    private static List<Tensor> weights(MLP net) {
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            if (e.getKey().endsWith("weight")) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** The L2 norm of all weights and the share of weights below 1e-3 in size. */
    private static String weightStats(MLP net) {
        double squares = 0;
        long small = 0;
        long count = 0;
        for (Tensor w : weights(net)) {
            for (float v : w.data()) {
                squares += (double) v * v;
                small += Math.abs(v) < 1e-3 ? 1 : 0;
                count++;
            }
        }
        return String.format(Locale.ROOT, "||w|| %.1f, %.0f%% near 0", Math.sqrt(squares), 100.0 * small / count);
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
