package dev.gradbook.examples.llm.longctx;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.language.CharWindows;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.ParamGroups;
import dev.gradbook.nn.optim.WarmupCosine;
import dev.gradbook.nn.train.ProgressReporter;
import dev.gradbook.transformer.gpt.Gpt;

/**
 * Next-character training on random windows of one length, the recipe of the {@code gpt} chapter:
 * AdamW with decay 0.1 on the matrices, warm-up then cosine decay to a tenth of the peak, gradient
 * clipping at norm 1. Used for the pre-training at context {@code L} and for the short
 * fine-tuning at {@code 2L}.
 */
public final class ContextTraining {
    private ContextTraining() {
    }

    /**
     * Trains {@code model} in place for {@code steps} steps of {@code batch} windows of
     * {@code length} characters (step {@code s} draws its batch from {@code Rng(seed + s)}); returns
     * the mean training loss of the last tenth of the steps.
     */
    public static double train(Gpt model, IntTensor train, int length, int steps, int batch, float lr, long seed,
                               ProgressReporter progress) {
        AdamW optimizer = new AdamW(ParamGroups.decayMatricesOnly(model.namedParameters(), 0.1f),
                AdamW.Config.defaults().withLr(lr).withBetas(0.9f, 0.99f).withWeightDecay(0.1f));
        WarmupCosine schedule = new WarmupCosine(lr, lr / 10, Math.max(1, steps / 10), steps);
        model.train();
        double tail = 0;
        int tailSteps = Math.max(1, steps / 10);
        for (int s = 0; s < steps; s++) {
            IntTensor[] xy = CharWindows.sample(train, batch, length, new Rng(seed + s));
            optimizer.setLearningRate(schedule.at(s));
            optimizer.zeroGrad();
            Tensor loss = model.loss(xy[0], xy[1]);
            loss.backward();
            GradClip.clipByNorm(model.parameters(), 1f);
            optimizer.step();
            if (s >= steps - tailSteps) {
                tail += loss.item();
            }
            progress.update(s + 1, loss.item(), (long) batch * length);
        }
        progress.finish();
        model.eval();
        return tail / tailSteps;
    }
}
