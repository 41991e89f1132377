package dev.gradbook.examples.efficiency;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.Digits;
import dev.gradbook.examples.neural.StepCurves;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.loss.DistillationLoss;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.List;
import java.util.Locale;

/**
 * <h2>distillation: a small student taught by a large teacher</h2>
 *
 * <p>A big trained network knows more than its accuracy shows: its output probabilities say which
 * wrong answers are nearly right. Hinton, Vinyals and Dean ("Distilling the Knowledge in a Neural
 * Network", 2015, section 2) train a small student to match the teacher's probabilities softened
 * by a temperature T, beside the true labels:
 * <pre>
 *   L = alpha · T² · KL(softmax(z_t / T) || softmax(z_s / T)) + (1 - alpha) · CE(z_s, y)
 * </pre>
 * (see {@link DistillationLoss}; the T² keeps the soft term's gradients the same size whatever T).
 * A soft target carries more information per example than a one-hot label, so the student
 * learns more from the same images.
 *
 * <p>The teacher is the MNIST MLP 784-256-128-10, trained on all the training images. The student
 * is a far smaller MLP, 784-16-10, that sees only 1,000 of them, the setting where soft targets
 * help most (Hinton et al., section 3, train on 3% of the data). Two students of the same
 * architecture and initial weights get the same budget (600 steps over the same batches in the
 * same order): one trained on the labels alone, one distilled.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table: the distilled student beats the student trained alone at the same budget
 *       and the teacher stays ahead of both (with {@code --quick}, seed 42: teacher 91.40%,
 *       alone 81.40%, distilled 82.85%; default run: teacher 97.27%, alone 86.19%, distilled 87.51%).</li>
 *   <li>The distilled student's loss starts high: {@code T² KL} at T = 4 is large until the
 *       student's softened outputs come close to the teacher's.</li>
 *   <li>{@code accuracy.png}: test accuracy of both students during training.</li>
 * </ul>
 * With {@code --quick}: a teacher from 5,000 training images, 300 student steps, 2,000 test images.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --temperature 1}: the soft targets are nearly one-hot. How much of the
 *       gain is left?</li>
 *   <li>Run with {@code --alpha 1}: the student never sees a label. Does it still learn?</li>
 *   <li>Run with {@code --hidden 64}: does a bigger student still gain from the teacher?</li>
 * </ol>
 */
public final class DistillationChapter implements Chapter {
    private static final int CHECKPOINTS = 10;

    @Override
    public String id() {
        return "distillation";
    }

    @Override
    public Part part() {
        return Part.EFFICIENCY;
    }

    @Override
    public String summary() {
        return "a 784-16-10 student distilled from a larger MNIST MLP beats the same student trained alone";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("temperature", "4", "softmax temperature T of the soft targets"),
                Option.value("alpha", "0.7", "weight of the soft (distillation) term, 0..1"),
                Option.value("hidden", "16", "the student's hidden width"),
                Option.value("student-images", "1000", "training images the students see (the teacher sees all)"));
    }

    /** A trained student's accuracy at checkpoints and at the end. */
    private record Student(double[] steps, double[] curve, double accuracy) {
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        int trainSize = ctx.quick() ? 5_000 : 20_000;
        TrainedMlp first = TrainedMlp.train(ctx, TrainedMlp.SIZES, trainSize, ctx.quick() ? 2_000 : 10_000, rng);
        // a teacher should be good: three more epochs (at a higher learning rate) than the other Part 9 chapters give it
        TrainedMlp.fit(ctx, "teacher, 3 more epochs", first.model(), first.train(), 32, 3 * trainSize / 32, 3e-3f,
                rng.nextLong());
        TrainedMlp teacher = new TrainedMlp(first.model(), first.sizes(), first.train(), first.test(),
                Digits.accuracy(first.model(), Digits.Layout.FLAT, first.test()));
        ctx.printf("teacher: test accuracy %s%n", pct(teacher.accuracy()));
        int[] studentSizes = {Digits.PIXELS, ctx.intOption("hidden"), Digits.CLASSES};
        int steps = ctx.steps(600, 300);
        long init = rng.nextLong();
        long order = rng.nextLong();
        Student alone = trainStudent(ctx, "student alone", teacher, studentSizes, steps, init, order, null);
        Student taught = trainStudent(ctx, "distilled student", teacher, studentSizes, steps, init, order, teacher.model());

        ctx.section("the same student, the same budget");
        MLP probe = new MLP(studentSizes, ReLU::new, new Rng(init));
        ctx.table(List.of("model", "parameters", "test accuracy"), List.of(
                List.of("teacher 784-256-128-10", String.format(Locale.ROOT, "%,d", teacher.model().parameterCount()),
                        pct(teacher.accuracy())),
                List.of("student alone", String.format(Locale.ROOT, "%,d", probe.parameterCount()), pct(alone.accuracy())),
                List.of("distilled student", String.format(Locale.ROOT, "%,d", probe.parameterCount()), pct(taught.accuracy()))));
        ctx.printf("distillation %s the student by %.2f points at the same budget (%d steps of 32)%n",
                taught.accuracy() > alone.accuracy() ? "helps" : "does not help",
                100 * (taught.accuracy() - alone.accuracy()), steps);
        new LineChart("Student test accuracy during training", "step", "accuracy")
                .series("alone (labels only)", alone.steps(), alone.curve())
                .series("distilled (T = " + ctx.option("temperature") + ")", taught.steps(), taught.curve())
                .save(ctx.outFile("accuracy.png"));
        ctx.println("picture: accuracy.png in " + ctx.outDir());
        return new Result()
                .metric("teacher_accuracy", teacher.accuracy())
                .metric("student_alone_accuracy", alone.accuracy())
                .metric("student_distilled_accuracy", taught.accuracy())
                .metric("student_parameters", probe.parameterCount())
                .metric("steps", steps);
    }

    /** Trains a student from {@code init}; with a teacher, on the distillation loss, else on cross-entropy. */
    private static Student trainStudent(ChapterContext ctx, String label, TrainedMlp data, int[] sizes, int steps,
                                        long init, long order, MLP teacher) {
        ctx.section("training the " + label);
        float temperature = ctx.floatOption("temperature");
        float alpha = ctx.floatOption("alpha");
        MLP student = new MLP(sizes, ReLU::new, new Rng(init));
        AdamW opt = new AdamW(student.namedParameters(), 3e-3f);
        Rng shuffle = new Rng(order);
        ProgressReporter progress = ctx.progress(label, steps);
        double[] at = new double[CHECKPOINTS];
        double[] curve = new double[CHECKPOINTS];
        Digits.Data images = data.train().first(ctx.intOption("student-images"));
        int[] perm = shuffle.permutation(images.size());
        for (int step = 0; step < steps; step++) {
            int from = (step * 32) % (perm.length - 31);
            Digits.Data batch = images.pick(java.util.Arrays.copyOfRange(perm, from, from + 32));
            Tensor x = Digits.Layout.FLAT.apply(batch.images());                          // (32, 784)
            Tensor logits = student.forward(x);                                          // (32, 10)
            Tensor loss;
            if (teacher == null) {
                loss = Losses.crossEntropy(logits, batch.labels());
            } else {
                Tensor soft;
                try (var noGrad = Autograd.noGrad()) {
                    soft = teacher.forward(x);
                }
                loss = DistillationLoss.combined(logits, soft, batch.labels(), temperature, alpha);
            }
            opt.zeroGrad();
            loss.backward();
            opt.step();
            progress.update(step + 1, loss.item(), 32);
            int every = Math.max(1, steps / CHECKPOINTS);
            if ((step + 1) % every == 0 && (step + 1) / every <= CHECKPOINTS) {
                int k = (step + 1) / every - 1;
                at[k] = step + 1;
                curve[k] = Digits.accuracy(student, Digits.Layout.FLAT, data.test().first(1000));
            }
        }
        progress.finish();
        double accuracy = Digits.accuracy(student, Digits.Layout.FLAT, data.test());
        ctx.printf("%s: test accuracy %s%n", label, pct(accuracy));
        return new Student(at, curve, accuracy);
    }

    private static String pct(double a) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * a);
    }
}
