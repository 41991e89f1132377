package dev.gradbook.examples.llm;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Kernels;
import dev.gradbook.examples.cli.CommandLine;
import dev.gradbook.examples.cli.Datasets;
import dev.gradbook.examples.cli.TrainingRun;
import dev.gradbook.examples.language.CharWindows;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.ParamGroups;
import dev.gradbook.nn.optim.WarmupCosine;
import dev.gradbook.nn.train.ProgressReporter;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.tokenizer.CharTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes the shipped {@link BaseModel}: {@code bin/gradbook base-model} from the repository root
 * trains it from scratch and writes {@code data/models/shakespeare-char-gpt.safetensors}.
 *
 * <p>The recipe is the {@code gpt} chapter's, run longer on bigger batches: AdamW (betas 0.9 and
 * 0.99) with weight decay 0.1 on the matrices only, a linear warm-up over the first
 * {@value #WARMUP} steps then cosine decay to a tenth of the peak rate, gradient clipping at norm
 * 1, windows of 128 characters drawn at random from the training 90% of Tiny Shakespeare with
 * {@link TrainingRun#stepRng} (step {@code s}'s batch depends on the seed and {@code s} only).
 * Layer norm, GELU and the attention softmax run as their hand-written twins ({@link Fused}) and
 * softmax as one op, for speed; the saved weights load into the readable model.
 *
 * <p>Options: {@code --out FILE} writes elsewhere (the folder must exist); {@code --steps N}
 * trains a shorter run (for a try, or a test). With the defaults the same machine writes the same
 * bytes: the metadata holds no clock time, and the matrix products add in a fixed order whatever
 * the number of threads (see {@link BaseModel} on other processors).
 */
public final class BaseModelTraining {
    /** Optimizer steps of the shipped model. */
    public static final int STEPS = 1200;
    public static final int BATCH = 32;
    public static final float LR = 3e-3f;
    public static final int WARMUP = 100;
    public static final long SEED = 1337;
    static final String DEFAULT_OUT = "data/" + BaseModel.DATA_PATH;

    private BaseModelTraining() {
    }

    /** {@code bin/gradbook base-model [--out FILE] [--steps N]}; returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path file = Path.of(DEFAULT_OUT);
        int steps = STEPS;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (i + 1 >= args.size() || !(a.equals("--out") || a.equals("--steps"))) {
                    throw new CommandLine.UsageException("base-model takes only --out FILE and --steps N, not '" + a
                            + "'" + (i + 1 >= args.size() && (a.equals("--out") || a.equals("--steps"))
                            ? " without a value" : ""));
                }
                String v = args.get(++i);
                if (a.equals("--out")) {
                    file = Path.of(v);
                } else {
                    if (!v.matches("\\d{1,7}") || Integer.parseInt(v) < 1) {
                        throw new CommandLine.UsageException("--steps must be a whole number >= 1, not '" + v + "'");
                    }
                    steps = Integer.parseInt(v);
                }
            }
            Path folder = file.toAbsolutePath().getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                throw new CommandLine.UsageException("the folder of " + file + " does not exist (run from the repository "
                        + "root, or give --out FILE in an existing folder)");
            }
        } catch (CommandLine.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: gradbook base-model [--out FILE] [--steps N]   (default: " + DEFAULT_OUT + ", "
                    + STEPS + " steps)");
            return 2;
        }
        try {
            long start = System.nanoTime();
            double val = make(file, steps, out);
            out.printf(Locale.ROOT, "wrote %s (%,d bytes): validation loss %.4f, %.0f s%n", file, Files.size(file), val,
                    (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("error: base-model: " + e.getMessage());
            return 1;
        }
    }

    /** Trains for {@code steps} steps and saves the model to {@code file}; returns its validation loss. */
    public static double make(Path file, int steps, PrintStream out) throws IOException {
        byte[] bytes;
        try (InputStream in = Datasets.open(null, BaseModel.CORPUS)) {
            bytes = in.readAllBytes();
        }
        CharTokenizer chars = BaseModel.tokenizer();
        int[] ids = chars.encode(new String(bytes, StandardCharsets.UTF_8));
        int[] heldOut = BaseModel.heldOut(ids);
        IntTensor train = IntTensor.wrap(BaseModel.training(ids), BaseModel.training(ids).length);
        GptConfig config = BaseModel.config();
        Gpt model = new Gpt(config, new Rng(SEED));
        out.printf(Locale.ROOT, "base model: %d layers, %d heads, %d channels, context %d, %,d parameters; %s: "
                        + "%,d characters, %,d for training%n", config.nLayer(), config.nHead(), config.nEmbd(),
                config.blockSize(), model.parameterCount(), BaseModel.CORPUS, ids.length, train.size(0));

        boolean softmaxBefore = Kernels.handWrittenSoftmax();
        Kernels.useHandWrittenSoftmax(true);
        double trainLoss;
        try {
            Fused.apply(model);
            trainLoss = train(model, train, heldOut, steps, out);
        } finally {
            Kernels.useHandWrittenSoftmax(softmaxBefore);
        }
        Gpt plain = new Gpt(config, new Rng(0));                      // the readable model, as users load it
        plain.loadStateDict(model.stateDict());
        double val = BaseModel.validationLoss(plain, heldOut);
        plain.save(file, chars, metadata(steps, trainLoss, val, bytes));
        return val;
    }

    private static double train(Gpt model, IntTensor train, int[] heldOut, int steps, PrintStream out) {
        AdamW optimizer = new AdamW(ParamGroups.decayMatricesOnly(model.namedParameters(), 0.1f),
                AdamW.Config.defaults().withLr(LR).withBetas(0.9f, 0.99f).withWeightDecay(0.1f));
        WarmupCosine schedule = new WarmupCosine(LR, LR / 10, Math.min(WARMUP, steps / 10), steps);
        int t = model.config.blockSize();
        ProgressReporter progress = new ProgressReporter("base model", steps, out, ProgressReporter.defaultMode(),
                System::nanoTime);
        int evalEvery = Math.max(1, steps / 10);
        for (int step = 1; step <= steps; step++) {
            optimizer.setLearningRate(schedule.at(step));
            IntTensor[] batch = CharWindows.sample(train, BATCH, t, TrainingRun.stepRng(SEED, step));
            Tensor loss = model.loss(batch[0], batch[1]);
            optimizer.zeroGrad();
            loss.backward();
            GradClip.clipByNorm(model.parameters(), 1f);
            optimizer.step();
            if (!Float.isFinite(loss.item())) {
                throw new ArithmeticException("the loss became " + loss.item() + " at step " + step);
            }
            progress.update(step, loss.item(), (long) BATCH * t);
            if (steps >= 10 && step % evalEvery == 0) {          // logging only: changes no weight
                progress.log(String.format(Locale.ROOT, "step %d: train %.3f, val %.3f", step, progress.smoothedLoss(),
                        BaseModel.validationLoss(model, heldOut)));
            }
        }
        progress.finish();
        return progress.smoothedLoss();
    }

    /** The training record: everything needed to know what the weights are and to make them again. */
    private static Map<String, String> metadata(int steps, double trainLoss, double val, byte[] corpus) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("description", "character-level GPT pre-trained on Tiny Shakespeare by Gradbook (the base model of "
                + "the Part 5 chapters)");
        m.put("vocabulary", "'\\n' then printable ASCII 32..126, in code-point order (ids 0..95)");
        m.put("data_file", "data/" + BaseModel.CORPUS);
        m.put("data_sha256", sha256(corpus));
        m.put("split", "first " + BaseModel.TRAIN_FRACTION + " of the characters train, the rest is held out");
        m.put("steps", Integer.toString(steps));
        m.put("seed", Long.toString(SEED));
        m.put("batch", Integer.toString(BATCH));
        m.put("batch_note", BATCH + " windows of " + BaseModel.config().blockSize() + " characters per step");
        m.put("lr", Float.toString(LR));
        m.put("lr_schedule", "linear warm-up over " + Math.min(WARMUP, steps / 10) + " steps to lr, then cosine "
                + "decay to lr / 10 at the last step");
        m.put("optimizer", "AdamW betas (0.9, 0.99), weight decay 0.1 on matrices only, gradient clipping at norm 1");
        m.put("train_loss", String.format(Locale.ROOT, "%.4f", trainLoss));
        m.put("val_loss", String.format(Locale.ROOT, "%.6f", val));
        m.put("val_loss_on", BaseModel.VAL_WINDOWS + " evenly spaced held-out windows (BaseModel.validationLoss)");
        m.put("kernel", Kernels.defaultKernel().name().replaceAll("\\(.*", "")
                + " (the sums depend on the processor's vector width, not on the thread count)");
        m.put("remake_command", BaseModel.REMAKE_COMMAND + (steps == STEPS ? "" : " --steps " + steps));
        return m;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
