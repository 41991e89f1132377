package dev.gradbook.examples.language;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.WarmupCosine;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.function.IntFunction;

/**
 * The training loop the small language chapters share: AdamW (weight decay 0.01), a short linear
 * warm-up (a twentieth of the steps) then cosine decay to a tenth of the peak rate, gradient clipping at norm 1, and a
 * progress line. The chapter supplies the loss of step {@code s} (it draws its own batch).
 */
final class Fit {
    private Fit() {
    }

    /** Trains {@code model} for {@code steps} steps and returns the loss of every step. */
    static double[] adamW(ChapterContext ctx, String label, Module model, int steps, float lr,
                          IntFunction<Tensor> lossAtStep) {
        AdamW optimizer = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(lr).withBetas(0.9f, 0.98f));
        WarmupCosine schedule = new WarmupCosine(lr, lr / 10, steps / 20, steps);
        ProgressReporter progress = ctx.progress(label, steps);
        double[] losses = new double[steps];
        model.train();
        for (int s = 1; s <= steps; s++) {
            optimizer.setLearningRate(schedule.at(s));
            Tensor loss = lossAtStep.apply(s);
            optimizer.zeroGrad();
            loss.backward();
            GradClip.clipByNorm(model.parameters(), 1f);
            optimizer.step();
            losses[s - 1] = loss.item();
            progress.update(s, losses[s - 1]);
        }
        progress.finish();
        model.eval();
        return losses;
    }
}
