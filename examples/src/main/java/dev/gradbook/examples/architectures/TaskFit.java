package dev.gradbook.examples.architectures;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.CosineAnnealingLR;
import dev.gradbook.nn.train.ProgressReporter;

/** Trains a model on a {@link MemoryTask} and scores it on fresh batches. */
final class TaskFit {
    private TaskFit() {
    }

    /** Per-step losses and the final accuracy on the answer positions. */
    record Fitted(double[] losses, double accuracy, double msPerStep) {
    }

    /** Cross-entropy at the answer positions only: {@code -sum(target * logSoftmax(logits)) / answers}. */
    static Tensor loss(Tensor logits, Tensor target) {
        double answers = target.sum().item();
        return logits.logSoftmax(-1).mul(target).sum().mul((float) (-1 / answers));
    }

    static Fitted fit(ChapterContext ctx, String label, Layer model, MemoryTask task, int steps, int batch, float lr,
                      Rng rng) {
        AdamW opt = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(lr).withBetas(0.9f, 0.99f));
        CosineAnnealingLR schedule = new CosineAnnealingLR(lr, steps, lr / 10);
        ProgressReporter progress = ctx.progress(label, steps);
        double[] losses = new double[steps];
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            MemoryTask.Batch b = task.batch(batch, rng);
            opt.setLearningRate(schedule.at(step));
            opt.zeroGrad();
            Tensor loss = loss(model.forward(b.input()), b.target());
            loss.backward();
            opt.step();
            losses[step] = loss.item();
            progress.update(step + 1, losses[step], batch);
        }
        progress.finish();
        double ms = (System.nanoTime() - start) / 1e6 / steps;
        return new Fitted(losses, accuracy(model, task, 512, rng.split()), ms);
    }

    /** The fraction of answer positions where the most likely token is the right one. */
    static double accuracy(Layer model, MemoryTask task, int n, Rng rng) {
        MemoryTask.Batch b = task.batch(n, rng);
        try (var noGrad = Autograd.noGrad()) {
            float[] logits = model.forward(b.input()).data();
            float[] target = b.target().data();
            int v = task.vocab();
            int right = 0;
            int asked = 0;
            for (int row = 0; row < target.length / v; row++) {
                int want = -1;
                int best = 0;
                for (int j = 0; j < v; j++) {
                    if (target[row * v + j] > 0) {
                        want = j;
                    }
                    if (logits[row * v + j] > logits[row * v + best]) {
                        best = j;
                    }
                }
                if (want >= 0) {
                    asked++;
                    right += best == want ? 1 : 0;
                }
            }
            return (double) right / asked;
        }
    }
}
