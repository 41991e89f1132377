package dev.gradbook.examples.llm.finetune;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.TrainingRun;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.WarmupCosine;
import dev.gradbook.transformer.gpt.Gpt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Supervised fine-tuning: minimise the masked cross-entropy of {@link InstructionDataset} over
 * the parameters given, with AdamW (no weight decay: a short run from a good start, where decay
 * toward zero would only pull the pretrained weights away), a linear warm-up over the first tenth
 * of the steps then cosine decay to a tenth of the peak rate, and clipping at norm 1.
 *
 * <p>Which parameters are trained is the caller's choice: all of them for full fine-tuning,
 * only the adapters for LoRA and QLoRA, whose chapters use this same loop so that their numbers
 * differ by the method alone. Step {@code s}'s batch depends on the seed and {@code s} only.
 */
public final class SftTrainer {
    /**
     * @param steps     optimizer steps
     * @param batchSize examples per step
     * @param lr        peak learning rate
     * @param seed      seed of the batches
     */
    public record Settings(int steps, int batchSize, float lr, long seed) {
        public Settings {
            if (steps < 1 || batchSize < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("SftTrainer.Settings: needs steps >= 1, batchSize >= 1 and lr > 0, got "
                        + steps + ", " + batchSize + ", " + lr);
            }
        }
    }

    /** Told every step's loss (e.g. for progress). */
    @FunctionalInterface
    public interface Listener {
        void afterStep(int step, double loss);
    }

    private final AdamW optimizer;
    private final Settings settings;

    /** A trainer of {@code parameters} (some or all of the model's). */
    public SftTrainer(Map<String, Tensor> parameters, Settings settings) {
        this.settings = settings;
        this.optimizer = new AdamW(parameters, AdamW.Config.defaults().withLr(settings.lr()).withWeightDecay(0f));
    }

    /** Trains {@code model} on {@code data}; returns every step's loss. */
    public List<Double> train(Gpt model, InstructionDataset data, Listener listener) {
        WarmupCosine schedule = new WarmupCosine(settings.lr(), settings.lr() / 10, Math.max(1, settings.steps() / 10),
                settings.steps());
        List<Tensor> trained = List.copyOf(optimizer.parameters().values());
        List<Double> losses = new ArrayList<>();
        model.train();
        for (int step = 1; step <= settings.steps(); step++) {
            optimizer.setLearningRate(schedule.at(step));
            InstructionDataset.Batch batch = data.sample(settings.batchSize(), TrainingRun.stepRng(settings.seed(), step));
            Tensor loss = model.loss(batch.inputs(), batch.targets());
            optimizer.zeroGrad();
            loss.backward();
            GradClip.clipByNorm(trained, 1f);
            optimizer.step();
            if (!Float.isFinite(loss.item())) {
                throw new ArithmeticException("fine-tuning: the loss became " + loss.item() + " at step " + step
                        + "; try a smaller learning rate");
            }
            losses.add((double) loss.item());
            listener.afterStep(step, loss.item());
        }
        model.eval();
        return losses;
    }

    /** Bytes of the optimizer's state (AdamW: two moments per trained number), as it holds it now. */
    public long optimizerStateBytes() {
        long floats = 0;
        for (Tensor slot : optimizer.stateDict().slots().values()) {
            floats += slot.numel();
        }
        return floats * Float.BYTES;
    }

    /** The number of trained numbers (a tied embedding and head counted once). */
    public long trainableParameters() {
        long n = 0;
        for (Tensor p : optimizer.parameters().values()) {
            n += p.numel();
        }
        return n;
    }
}
