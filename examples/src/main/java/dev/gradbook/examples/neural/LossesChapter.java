package dev.gradbook.examples.neural;

import dev.gradbook.core.IntTensor;
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
import dev.gradbook.nn.data.OneHot;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.loss.Reduction;
import dev.gradbook.nn.optim.SGD;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * <h2>losses: MSE, cross-entropy and binary cross-entropy, and why classifiers use CE</h2>
 *
 * <p>A loss turns the network's output and the target into one number to minimise; its
 * gradient is what backpropagation starts from. For a logit vector {@code z}, one-hot target
 * {@code y}, {@code p = softmax(z)} and {@code s = sigmoid(z)}:
 * <pre>
 *   MSE (regression)            L = sum_k (yhat_k - y_k)^2             dL/dyhat = 2 (yhat - y)
 *   cross-entropy (softmax)     L = -sum_k y_k ln p_k = -ln p_true      dL/dz    = p - y
 *   binary CE (sigmoid)         L = -(y ln s + (1 - y) ln(1 - s))       dL/dz    = s - y
 *   MSE through a softmax       L = sum_k (p_k - y_k)^2                 dL/dz_j  = sum_k 2 (p_k - y_k) p_k (d_kj - p_j)
 *   MSE through a sigmoid       L = (s - y)^2                           dL/dz    = 2 (s - y) s (1 - s)
 * </pre>
 * Each loss is the negative log-likelihood of a noise model: MSE of Gaussian noise around the
 * prediction, CE of a categorical distribution, BCE of a Bernoulli one (Bishop, <i>Pattern
 * Recognition and Machine Learning</i>, sections 1.2.5, 4.3.2 and 5.2; Goodfellow, Bengio and
 * Courville, <i>Deep Learning</i>, section 6.2.2). The gradients say why CE suits classification:
 * with CE the log cancels the exponential of the softmax, and the gradient is simply the error
 * {@code p - y}, as large as the mistake. Put MSE after a softmax or sigmoid instead and the
 * gradient carries the extra factor {@code s (1 - s)} (or {@code p_k (delta - p_j)}), which
 * vanishes exactly when the output saturates, that is when the network is confidently wrong.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The gradient tables: as the wrong logit's margin grows from 0 to 8, the CE/BCE gradient
 *       on the true class's logit grows towards -1 while the MSE one shrinks to about 1e-3;
 *       autograd equals each closed form above.</li>
 *   <li>The same 64-32-10 network (same initial weights, plain SGD, same learning rate) trained
 *       on 8x8 digits with each loss ({@code accuracy.png}): after 3 epochs CE is at about 0.67
 *       validation accuracy and MSE on the softmax at 0.26; CE ends near 0.96, BCE on
 *       one-vs-rest sigmoids close behind, and MSE catches up only slowly (0.93 after 30
 *       epochs). {@code loss.png} shows each training loss relative to its first epoch.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Start the network confidently wrong: scale the last layer's initial weights by 20. Which
 *       loss recovers, and which stalls?</li>
 *   <li>Train a regression (predict the digit's ink, the sum of its pixels) with MSE and with
 *       the L1 loss. Add a few outliers to the targets: which fit moves more?</li>
 *   <li>Add label smoothing ({@code CrossEntropyOptions}) and compare the confidence (max p) of
 *       the predictions on the validation digits.</li>
 * </ol>
 */
public final class LossesChapter implements Chapter {
    private static final float LEARNING_RATE = 0.1f;
    private static final int BATCH = 32;
    private static final int CLASSES = 10;

    /** A loss for a batch of logits (B, 10) and class indices (B). */
    record Loss(String name, BiFunction<Tensor, IntTensor, Tensor> fn) {
    }

    /** Each loss is summed over the 10 outputs and averaged over the batch, so their scales compare. */
    static final List<Loss> LOSSES = List.of(
            new Loss("cross-entropy", Losses::crossEntropy),
            new Loss("binary CE (one-vs-rest)", (z, y) -> Losses.binaryCrossEntropyWithLogits(z,
                    OneHot.encode(y, CLASSES), Reduction.SUM).div(z.size(0))),
            new Loss("MSE on softmax", (z, y) -> Losses.mse(z.softmax(1), OneHot.encode(y, CLASSES),
                    Reduction.SUM).div(z.size(0))));

    @Override
    public String id() {
        return "losses";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "MSE, cross-entropy, binary CE and their gradients: why CE suits classification";
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        Result result = new Result();

        ctx.section("binary: target 1, logit -m (confidently wrong for large m)");
        double[] binary = binaryGradients(ctx);
        result.metric("bce_grad_wrong", binary[0]).metric("mse_sigmoid_grad_wrong", binary[1])
                .metric("binary_closed_form_gap", binary[2]);

        ctx.section("10 classes: logits (m, 0, ..., 0), true class 1; gradient on the true logit z_1");
        double[] multi = softmaxGradients(ctx);
        result.metric("ce_grad_wrong", multi[0]).metric("mse_softmax_grad_wrong", multi[1])
                .metric("softmax_closed_form_gap", multi[2]);

        int epochs = ctx.steps(30, 10);
        ctx.section("one network, three losses: digits8x8, 64-32-10 ReLU, SGD lr " + LEARNING_RATE + ", "
                + epochs + " epochs");
        SmallTasks.Split digits = SmallTasks.digits(ctx, 1000, 797, rng.nextLong());
        long initSeed = rng.nextLong();
        long shuffleSeed = rng.nextLong();
        LineChart accuracyChart = new LineChart("Validation accuracy, same network trained with each loss", "epoch",
                "validation accuracy");
        LineChart lossChart = new LineChart("Training loss relative to its first epoch", "epoch",
                "loss / loss after epoch 1").logY(true);
        List<List<String>> rows = new ArrayList<>();
        for (Loss loss : LOSSES) {
            MLP net = new MLP(new int[] {64, 32, CLASSES}, ReLU::new, new Rng(initSeed));
            List<Double> accuracy = new ArrayList<>();
            List<Double> trainLoss = new ArrayList<>();
            train(ctx, loss, net, digits, epochs, shuffleSeed, accuracy, trainLoss);
            accuracyChart.series(loss.name(), accuracy);
            List<Double> relative = new ArrayList<>();
            for (double v : trainLoss) {
                relative.add(v / trainLoss.get(0));
            }
            lossChart.series(loss.name(), relative);
            double finalAccuracy = accuracy.get(accuracy.size() - 1);
            rows.add(List.of(loss.name(), String.format(Locale.ROOT, "%.4f", trainLoss.get(trainLoss.size() - 1)),
                    String.format(Locale.ROOT, "%.3f", accuracy.get(Math.min(2, accuracy.size() - 1))),
                    String.format(Locale.ROOT, "%.3f", finalAccuracy)));
            String key = loss.name().startsWith("cross") ? "ce" : loss.name().startsWith("binary") ? "bce" : "mse";
            result.metric(key + "_val_accuracy", finalAccuracy);
        }
        ctx.table(List.of("loss", "final train loss", "val accuracy, epoch 3", "val accuracy, last"), rows);
        accuracyChart.save(ctx.outFile("accuracy.png"));
        lossChart.save(ctx.outFile("loss.png"));
        ctx.printf("pictures: accuracy.png, loss.png in %s%n", ctx.outDir());
        return result;
    }

    /**
     * Gradients with respect to the logit z = -m of BCE and of MSE after a sigmoid, target 1, by
     * autograd and by the closed forms; returns {|BCE'|, |MSE'|} at the largest m and the largest
     * autograd-vs-formula gap.
     */
    static double[] binaryGradients(ChapterContext ctx) {
        List<List<String>> rows = new ArrayList<>();
        double bce = 0;
        double mse = 0;
        double gap = 0;
        for (float m : new float[] {0, 2, 4, 8}) {
            Tensor target = Tensor.vector(1f);
            Tensor z1 = Tensor.vector(-m).requiresGrad(true);
            Losses.binaryCrossEntropyWithLogits(z1, target).backward();
            Tensor z2 = Tensor.vector(-m).requiresGrad(true);
            Losses.mse(z2.sigmoid(), target).backward();
            double s = 1 / (1 + Math.exp(m));
            double bceFormula = s - 1;
            double mseFormula = 2 * (s - 1) * s * (1 - s);
            bce = z1.grad().item();
            mse = z2.grad().item();
            gap = Math.max(gap, Math.max(Math.abs(bce - bceFormula), Math.abs(mse - mseFormula)));
            rows.add(List.of(String.format(Locale.ROOT, "%.0f", m), String.format(Locale.ROOT, "%.5f", s),
                    String.format(Locale.ROOT, "%.5f (%.5f)", bce, bceFormula),
                    String.format(Locale.ROOT, "%.2e (%.2e)", mse, mseFormula)));
        }
        ctx.table(List.of("m", "s = sigmoid(-m)", "dBCE/dz (formula)", "dMSE/dz (formula)"), rows);
        return new double[] {Math.abs(bce), Math.abs(mse), gap};
    }

    /** The same for 10 classes: CE and MSE after a softmax, gradient on the true class's logit. */
    static double[] softmaxGradients(ChapterContext ctx) {
        List<List<String>> rows = new ArrayList<>();
        double ce = 0;
        double mse = 0;
        double gap = 0;
        for (float m : new float[] {0, 2, 4, 8}) {
            float[] logits = new float[CLASSES];
            logits[0] = m;
            IntTensor target = IntTensor.vector(1);
            Tensor z1 = Tensor.of(logits, 1, CLASSES).requiresGrad(true);
            Losses.crossEntropy(z1, target).backward();
            Tensor z2 = Tensor.of(logits, 1, CLASSES).requiresGrad(true);
            Losses.mse(z2.softmax(1), OneHot.encode(target, CLASSES), Reduction.SUM).backward();
            float[] p = Tensor.of(logits, 1, CLASSES).softmax(1).data();
            double ceFormula = p[1] - 1;
            double mseFormula = 0;
            for (int k = 0; k < CLASSES; k++) {
                double y = k == 1 ? 1 : 0;
                mseFormula += 2 * (p[k] - y) * p[k] * ((k == 1 ? 1 : 0) - p[1]);
            }
            ce = z1.grad().get(0, 1);
            mse = z2.grad().get(0, 1);
            gap = Math.max(gap, Math.max(Math.abs(ce - ceFormula), Math.abs(mse - mseFormula)));
            rows.add(List.of(String.format(Locale.ROOT, "%.0f", m), String.format(Locale.ROOT, "%.5f", p[1]),
                    String.format(Locale.ROOT, "%.5f (%.5f)", ce, ceFormula),
                    String.format(Locale.ROOT, "%.2e (%.2e)", mse, mseFormula)));
        }
        ctx.table(List.of("m", "p_true", "dCE/dz_1 (formula)", "dMSE/dz_1 (formula)"), rows);
        return new double[] {Math.abs(ce), Math.abs(mse), gap};
    }

    /** Mini-batch SGD with {@code loss}; appends the validation accuracy and mean training loss of each epoch. */
    private static void train(ChapterContext ctx, Loss loss, MLP net, SmallTasks.Split digits, int epochs,
                              long shuffleSeed, List<Double> accuracy, List<Double> trainLoss) {
        SGD sgd = new SGD(net.namedParameters(), LEARNING_RATE);
        DataLoader loader = new DataLoader(digits.train().toDataset(), BATCH, true, false, shuffleSeed);
        ProgressReporter progress = ctx.progress(loss.name(), (long) epochs * loader.batchesPerEpoch());
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double sum = 0;
            for (Batch batch : loader.epoch(epoch)) {
                Tensor value = loss.fn().apply(net.forward(batch.inputs()), batch.labels());
                sgd.zeroGrad();
                value.backward();
                sgd.step();
                sum += value.item();
                progress.update(++step, value.item(), batch.size());
            }
            trainLoss.add(sum / loader.batchesPerEpoch());
            accuracy.add(SmallTasks.accuracy(net, digits.val()));
        }
        progress.finish();
    }
}
