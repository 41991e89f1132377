package dev.gradbook.examples.cli;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.io.Checkpoint;
import dev.gradbook.nn.optim.Optimizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a long training loop needs so that it loses nothing: a checkpoint every
 * {@code --checkpoint-every} steps, one more when the user presses Ctrl-C (a JVM shutdown hook
 * asks the loop to save at the end of its current step and waits for it), a clean stop at
 * {@code --stop-after N} (the same path, for trying resumption), {@code --resume} from the last
 * checkpoint, and a guard: a loss that is NaN or infinite, or a weight that is, stops the run
 * with an error and never replaces the last good checkpoint.
 *
 * <pre>{@code
 * try (TrainingRun run = new TrainingRun(ctx, file, model, optimizer, Map.of("corpus", name))) {
 *     long start = ctx.flag("resume") ? run.resume() : 0;
 *     for (long step = start + 1; step <= total; step++) {
 *         Rng batchRng = TrainingRun.stepRng(ctx.seed(), step);   // data order independent of where we started
 *         ... loss, backward, optimizer.step() ...
 *         if (run.afterStep(step, loss.item())) { return; }       // interrupted: saved, stop
 *     }
 *     run.save(total);
 * }
 * }</pre>
 * A resumed run repeats an uninterrupted one bit for bit when everything that changes during
 * training is in the checkpoint (weights, optimizer moments and step) or is a function of the
 * step (the batches, through {@link #stepRng}, and the learning-rate schedule); a model with
 * dropout would also need its generator's state.
 */
public final class TrainingRun implements AutoCloseable {
    /** The metadata key holding the number of completed steps. */
    public static final String STEP = "step";

    private final ChapterContext ctx;
    private final Path file;
    private final Module model;
    private final Optimizer optimizer;
    private final Map<String, String> metadata;
    private final int checkpointEvery;
    private final int stopAfter;
    private final AtomicBoolean interruptRequested = new AtomicBoolean();
    private final Writer writer;
    private final CountDownLatch savedOnInterrupt = new CountDownLatch(1);
    private final Thread hook;
    private double lastFiniteLoss = Double.NaN;
    private long lastSavedStep = -1;

    /** The options a chapter using this class adds to its own ({@code --resume} is the chapter's). */
    public static List<Option> options() {
        return List.of(
                Option.positiveInt("checkpoint-every", "100", "save a checkpoint every N steps (and on Ctrl-C)"),
                Option.nonNegativeInt("stop-after", "0", "stop after step N as if interrupted, saving a checkpoint "
                        + "(0: run to the end); continue with --resume"));
    }

    /**
     * Starts guarding a run that saves {@code model} and {@code optimizer} to {@code file} with
     * {@code metadata} (plus the step). The chapter must declare {@link #options()}.
     */
    public TrainingRun(ChapterContext ctx, Path file, Module model, Optimizer optimizer, Map<String, String> metadata) {
        this(ctx, file, model, optimizer, metadata, (f, meta) -> Checkpoint.save(f, model, optimizer, meta));
    }

    /**
     * How a checkpoint is written: {@link Checkpoint#save} by default; a model that describes
     * itself (such as {@code Gpt.save} with its tokenizer) can write a file that its own
     * {@code load} rebuilds. Whatever writes it, {@link #resume()} reads it with
     * {@link Checkpoint#load}, so it must hold the model's and the optimizer's state.
     */
    @FunctionalInterface
    public interface Writer {
        void write(Path file, Map<String, String> metadata);
    }

    /** As {@link #TrainingRun(ChapterContext, Path, Module, Optimizer, Map)}, saving with {@code writer}. */
    public TrainingRun(ChapterContext ctx, Path file, Module model, Optimizer optimizer, Map<String, String> metadata,
                       Writer writer) {
        this.writer = writer;
        this.ctx = ctx;
        this.file = file;
        this.model = model;
        this.optimizer = optimizer;
        this.metadata = new TreeMap<>(metadata); // a fixed order: the same run writes the same bytes
        this.checkpointEvery = ctx.intOption("checkpoint-every");
        this.stopAfter = ctx.intOption("stop-after");
        this.hook = new Thread(this::onShutdown, "gradbook-save-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * A generator for the batches of one step, a function of the seed and the step alone: a run
     * resumed at step 40 draws the same batches for steps 41, 42, ... as one that never stopped.
     */
    public static Rng stepRng(long seed, long step) {
        // two rounds of the generator's mixing turn neighbouring (seed, step) pairs into unrelated streams
        return new Rng(new Rng(seed ^ (step * 0xD1B54A32D192ED03L)).nextLong());
    }

    /** Restores the model and optimizer from the checkpoint; returns the number of steps it had completed. */
    public long resume() {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + file + " (train without --resume "
                    + "first, or point --out at the folder that holds it)");
        }
        Map<String, String> meta = Checkpoint.load(file, model, optimizer);
        String step = meta.get(STEP);
        if (step == null || !step.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("--resume: " + file + " does not say how many steps it completed "
                    + "(metadata '" + STEP + "' is " + (step == null ? "missing" : "'" + step + "'") + ")");
        }
        lastSavedStep = Long.parseLong(step);
        ctx.println("resumed from " + file + " after step " + lastSavedStep);
        return lastSavedStep;
    }

    /**
     * Call after every step with its loss. Throws if the loss is NaN or infinite (nothing is
     * saved); saves a checkpoint when one is due. Returns true when the loop must stop now
     * (Ctrl-C or {@code --stop-after}), the checkpoint having been saved.
     */
    public boolean afterStep(long step, double loss) {
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException(String.format(Locale.ROOT, "the loss became %s at step %d (%s); stopped "
                    + "without saving, %s. Try a smaller --lr", loss, step, Double.isNaN(lastFiniteLoss)
                    ? "the first step" : "the last finite loss was " + lastFiniteLoss, kept()));
        }
        lastFiniteLoss = loss;
        boolean interrupted = interruptRequested.get();
        boolean stop = interrupted || step == stopAfter;
        if (stop || step % checkpointEvery == 0) {
            save(step);
        }
        if (stop) {
            ctx.println((interrupted ? "interrupted" : "stopped (--stop-after)") + " after step " + step
                    + ": checkpoint saved to " + file + "; continue with --resume");
            savedOnInterrupt.countDown();
        }
        return stop;
    }

    /** Saves the checkpoint after {@code step}, unless a weight is NaN or infinite (then it throws and keeps the old one). */
    public void save(long step) {
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            if (e.getValue().hasNonFinite()) {
                throw new ArithmeticException("after step " + step + " the weight '" + e.getKey()
                        + "' holds NaN or infinity; not saved, " + kept() + ". Try a smaller --lr");
            }
        }
        Map<String, String> meta = new TreeMap<>(metadata);
        meta.put(STEP, Long.toString(step));
        writer.write(file, meta);
        lastSavedStep = step;
    }

    private String kept() {
        return lastSavedStep >= 0 ? "the checkpoint " + file + " from step " + lastSavedStep + " is kept"
                : Files.exists(file) ? "the existing " + file + " is untouched" : "no checkpoint was written";
    }

    /** What Ctrl-C does: asks the loop to save and stop at the end of its current step. */
    void requestInterrupt() {
        interruptRequested.set(true);
    }

    /** Runs on Ctrl-C: ask the loop to save at the end of its step, and give it time to. */
    private void onShutdown() {
        requestInterrupt();
        try {
            savedOnInterrupt.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop is over: Ctrl-C no longer has anything to save. */
    @Override
    public void close() {
        savedOnInterrupt.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook has run or is running
        }
    }
}
