package dev.gradbook.examples.llm.pretrain;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.language.CharWindows;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.Optimizer;
import dev.gradbook.nn.optim.ParamGroups;
import dev.gradbook.nn.optim.WarmupCosine;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One pre-training recipe: which of the standard techniques are switched on. The chapter trains
 * the same model on the same batches under recipes that add one technique at a time.
 *
 * @param name         how the chapter labels it
 * @param weightDecay  AdamW with decoupled weight decay 0.1 on the matrices only (Loshchilov and
 *                     Hutter 2019; as in nanoGPT, parameters with two or more dimensions decay,
 *                     biases and LayerNorm gains do not), instead of plain Adam
 * @param schedule     linear warm-up then cosine decay to a tenth of the peak (Goyal et al. 2017;
 *                     Loshchilov and Hutter 2017), instead of a constant learning rate
 * @param clipping     rescale the gradient to norm at most 1 before each step (Pascanu et al. 2013)
 */
public record Recipe(String name, boolean weightDecay, boolean schedule, boolean clipping) {
    /** The recipes in the order the chapter switches the techniques on. */
    public static List<Recipe> ladder() {
        return List.of(
                new Recipe("Adam, constant lr", false, false, false),
                new Recipe("+ AdamW decay on matrices", true, false, false),
                new Recipe("+ warmup and cosine", true, true, false),
                new Recipe("+ clipping at 1", true, true, true));
    }

    /** Told the loss after every step, for progress. */
    @FunctionalInterface
    public interface StepListener {
        void afterStep(int step, double loss);
    }

    /** Losses of one training run: every step's training loss and the final validation loss. */
    public record Run(Recipe recipe, List<Double> trainLosses, double valLoss) {
    }

    /**
     * Trains a fresh model (seed {@code seed}) for {@code steps} steps at peak rate {@code lr};
     * step {@code s}'s batch is drawn from {@code Rng(seed + 1000 + s)}, the same for every recipe.
     */
    public Run train(GptConfig config, IntTensor train, IntTensor val, int steps, int batch, float lr, long seed,
                     StepListener listener) {
        Gpt model = new Gpt(config, new Rng(seed));
        Optimizer opt = weightDecay
                ? new AdamW(ParamGroups.decayMatricesOnly(model.namedParameters(), 0.1f),
                        AdamW.Config.defaults().withLr(lr).withBetas(0.9f, 0.99f).withWeightDecay(0.1f))
                : new Adam(model.namedParameters(), lr);
        WarmupCosine cosine = new WarmupCosine(lr, lr / 10, Math.max(1, steps / 10), steps);
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            IntTensor[] xy = CharWindows.sample(train, batch, config.blockSize(), new Rng(seed + 1000 + s));
            opt.setLearningRate(schedule ? cosine.at(s) : lr);
            opt.zeroGrad();
            Tensor loss = model.loss(xy[0], xy[1]);
            loss.backward();
            if (clipping) {
                GradClip.clipByNorm(model.parameters(), 1f);
            }
            opt.step();
            losses.add((double) loss.item());
            listener.afterStep(s, loss.item());
        }
        return new Run(this, losses, validationLoss(model, val, config.blockSize(), seed));
    }

    /** Mean loss on 8 fixed batches of 32 validation windows. */
    static double validationLoss(Gpt model, IntTensor val, int block, long seed) {
        model.eval();
        double total = 0;
        try (var ignored = Autograd.noGrad()) {
            for (int b = 0; b < 8; b++) {
                IntTensor[] xy = CharWindows.sample(val, 32, block, new Rng(seed + 99 + b));
                total += model.loss(xy[0], xy[1]).item();
            }
        }
        model.train();
        return total / 8;
    }
}
