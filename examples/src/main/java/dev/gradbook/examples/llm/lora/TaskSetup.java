package dev.gradbook.examples.llm.lora;

import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.llm.BaseModel;
import dev.gradbook.examples.llm.finetune.FinetuneTasks;
import dev.gradbook.examples.llm.finetune.InstructionDataset;
import dev.gradbook.examples.llm.finetune.SftTrainer;
import dev.gradbook.examples.llm.finetune.TaskAccuracy;
import dev.gradbook.nn.train.ProgressReporter;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.tokenizer.Tokenizer;

import java.util.List;

/**
 * What the lora and qlora chapters share with full-finetune: the shipped base model, the same
 * instruction tasks (words split so that the test asks about unseen words), the same masked-loss
 * training loop ({@link SftTrainer}) and the same greedy exact-match score ({@link TaskAccuracy}),
 * so that the methods differ only in which numbers they train and how the base is stored.
 *
 * @param tokenizer the base model's character tokenizer
 * @param tasks     the task data, split into train and test
 * @param train     the training examples, encoded with the prompt masked out of the loss
 * @param scorer    greedy decoding and exact match
 */
public record TaskSetup(Tokenizer tokenizer, FinetuneTasks.Split tasks, InstructionDataset train, TaskAccuracy scorer) {
    /** The tasks fine-tuned on. */
    public static final List<String> TASKS = List.of("upper");
    /** Longest answer scored, in characters. */
    public static final int MAX_ANSWER = 12;

    /** A model after fine-tuning: its losses, its score on the test, and how many numbers it trained. */
    public record Trained(String name, Gpt model, List<Double> losses, TaskAccuracy.Report score, long trainable) {
    }

    /** Loads the task data ({@code trainPerTask} and {@code testPerTask} examples of each task). */
    public static TaskSetup load(ChapterContext ctx, int trainPerTask, int testPerTask) throws Exception {
        Tokenizer tokenizer = BaseModel.tokenizer();
        FinetuneTasks.Split split = FinetuneTasks.build(FinetuneTasks.words(ctx, 3, 7), TASKS, trainPerTask,
                testPerTask, ctx.seed());
        InstructionDataset train = new InstructionDataset(split.train(), FinetuneTasks.template(), tokenizer,
                BaseModel.config().blockSize());
        return new TaskSetup(tokenizer, split, train, new TaskAccuracy(tokenizer, FinetuneTasks.template()));
    }

    /**
     * A fresh copy of the shipped base model (loading takes milliseconds), with the hand-written
     * layer norm, GELU and attention plugged in for speed ({@link Fused}: the same parameters and
     * the same function to float rounding; LoRA and quantisation wrap its Linears as before).
     */
    public static Gpt base() {
        Gpt gpt = BaseModel.load().model();
        Fused.apply(gpt);
        return gpt;
    }

    /** The greedy exact-match accuracy of {@code model} on the test examples, per task and overall. */
    public TaskAccuracy.Report score(Gpt model) {
        return scorer.evaluate(model, tasks.test(), MAX_ANSWER);
    }

    /** Fine-tunes the trainable parameters of {@code model} with {@code settings}, with progress, then scores it. */
    public Trained train(ChapterContext ctx, String name, Gpt model, SftTrainer.Settings settings) {
        SftTrainer trainer = new SftTrainer(model.trainableParameters(), settings);
        ProgressReporter progress = ctx.progress(name, settings.steps());
        List<Double> losses = trainer.train(model, train, (step, loss) -> progress.update(step, loss, settings.batchSize()));
        progress.finish();
        return new Trained(name, model, losses, score(model), trainer.trainableParameters());
    }
}
