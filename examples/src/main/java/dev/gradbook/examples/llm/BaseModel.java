package dev.gradbook.examples.llm;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.examples.cli.Datasets;
import dev.gradbook.transformer.ModelFile;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.tokenizer.CharTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The shipped base model: a small character-level GPT pre-trained on Tiny Shakespeare by this
 * project's own code ({@link BaseModelTraining}), which the fine-tuning and alignment chapters
 * start from, as fine-tuning starts from a pretrained checkpoint in practice. It lives in
 * {@code data/models/shakespeare-char-gpt.safetensors} (about 3 MB), a self-describing
 * {@link ModelFile}: the {@link GptConfig}, the tokenizer and the training record (steps, seed,
 * batch, learning rate, validation loss, the data file's SHA-256, the command that remakes it)
 * are in its metadata.
 *
 * <pre>{@code
 * ModelFile.Loaded<Gpt> base = BaseModel.load();        // milliseconds
 * Gpt gpt = base.model();
 * Tokenizer chars = base.tokenizer();                   // == BaseModel.tokenizer()
 * }</pre>
 *
 * <p><b>Vocabulary.</b> Printable ASCII (32 to 126) and {@code '\n'}, 96 characters in code-point
 * order: id 0 is {@code '\n'}, id 1 the space, ..., id 95 {@code '~'}. Tiny Shakespeare uses 65 of
 * them; the rest (digits but 3, most symbols) never occur in pre-training, so their embeddings
 * stay near their random start until fine-tuning teaches them (arithmetic, answer formats). Every
 * chapter encodes with the same fixed vocabulary, so ids mean the same everywhere.
 *
 * <p><b>Remaking it.</b> {@value #REMAKE_COMMAND} (after {@code mvn -q package -DskipTests}, from
 * the repository root) trains it again from the same seed and writes the same bytes on the same
 * machine: every random choice is seeded and the matrix products sum in a fixed order whatever the
 * number of threads. Another processor may differ in the last bits, because the SIMD kernel's sums
 * depend on the vector width (AVX-512: 16 floats), and so does a run without the Vector API (the
 * EJML kernel); the validation loss then agrees to about 1e-4, not bit for bit.
 *
 * <p><b>Validation.</b> The first 90% of the text trains, the last 10% is held out; {@code val_loss}
 * is the mean next-character cross-entropy over {@value #VAL_WINDOWS} windows of {@code blockSize}
 * characters evenly spaced over the held-out part ({@link #validationLoss}), small enough that a
 * test recomputes it in a fraction of a second.
 */
public final class BaseModel {
    /** Where the file lives under {@code data/} (and under {@code /datasets/} in the jar). */
    public static final String DATA_PATH = "models/shakespeare-char-gpt.safetensors";
    /** The corpus it was trained on, under {@code data/}. */
    public static final String CORPUS = "text/tinyshakespeare.txt";
    /** The one command that remakes the file, run from the repository root. */
    public static final String REMAKE_COMMAND = "bin/gradbook base-model";
    /** Held-out windows in the stored validation loss. */
    public static final int VAL_WINDOWS = 64;
    /** Share of the text used for training; the rest is the held-out split. */
    public static final double TRAIN_FRACTION = 0.9;

    private BaseModel() {
    }

    /** The shape of the shipped model: 4 blocks, 4 heads, 128 channels, a context of 128 characters. */
    public static GptConfig config() {
        return GptConfig.shakespeareChar(vocabulary().length()).withBlockSize(128);
    }

    /** {@code '\n'} then printable ASCII 32..126, in that (code-point) order: ids 0..95. */
    public static String vocabulary() {
        StringBuilder sb = new StringBuilder("\n");
        for (char c = 32; c <= 126; c++) {
            sb.append(c);
        }
        return sb.toString();
    }

    /** The fixed character tokenizer every Part 5 chapter uses. */
    public static CharTokenizer tokenizer() {
        return new CharTokenizer(vocabulary());
    }

    /**
     * Loads the shipped model from the data sets in the jar (or {@code examples/target/classes} in
     * a build); a missing file is an error that names it and the command that remakes it.
     */
    public static ModelFile.Loaded<Gpt> load() {
        URL url = BaseModel.class.getResource("/datasets/" + DATA_PATH);
        if (url == null) {
            throw missing("data/" + DATA_PATH + " (packed into the jar as /datasets/" + DATA_PATH + ")");
        }
        if (url.getProtocol().equals("file")) {
            try {
                return load(Path.of(url.toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException("BaseModel: cannot read " + url, e);
            }
        }
        // inside a jar: the safetensors reader wants a file, so copy the few MB out once
        try (InputStream in = Datasets.open(null, DATA_PATH)) {
            Path copy = Files.createTempFile("gradbook-base-model", ".safetensors");
            try {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                return load(copy);
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BaseModel: cannot read /datasets/" + DATA_PATH + " from the jar", e);
        }
    }

    /** Loads a base model written by {@link BaseModelTraining} to {@code file}. */
    public static ModelFile.Loaded<Gpt> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw missing(file.toString());
        }
        ModelFile.Loaded<Gpt> loaded = Gpt.loadWithTokenizer(file);
        if (!(loaded.tokenizer() instanceof CharTokenizer chars) || !chars.vocabulary().equals(vocabulary())) {
            throw new IllegalArgumentException(file + ": not the base model's fixed character vocabulary "
                    + "('\\n' and ASCII 32..126); remake it with " + REMAKE_COMMAND);
        }
        return loaded;
    }

    private static IllegalStateException missing(String where) {
        return new IllegalStateException("the base model " + where + " is missing; remake it from the repository root "
                + "with " + REMAKE_COMMAND + " (a few minutes), then rebuild the jar");
    }

    /** The held-out part of the encoded text: its last {@code 1 - TRAIN_FRACTION}. */
    public static int[] heldOut(int[] ids) {
        return Arrays.copyOfRange(ids, trainLength(ids), ids.length);
    }

    /** The training part of the encoded text: its first {@code TRAIN_FRACTION}. */
    public static int[] training(int[] ids) {
        return Arrays.copyOfRange(ids, 0, trainLength(ids));
    }

    private static int trainLength(int[] ids) {
        return (int) (ids.length * TRAIN_FRACTION);
    }

    /**
     * The mean next-character cross-entropy (nats) of {@code model} on {@value #VAL_WINDOWS}
     * windows of {@code blockSize + 1} characters at evenly spaced offsets
     * {@code i (n - blockSize - 1) / (VAL_WINDOWS - 1)} of {@code heldOut}: the same windows every
     * time, in eval mode and without gradients.
     */
    public static double validationLoss(Gpt model, int[] heldOut) {
        int t = model.config.blockSize();
        int span = heldOut.length - t - 1;
        if (span < VAL_WINDOWS) {
            throw new IllegalArgumentException("BaseModel.validationLoss: a held-out text of " + heldOut.length
                    + " tokens is too short for " + VAL_WINDOWS + " windows of " + (t + 1));
        }
        int batch = 16;
        boolean wasTraining = model.isTraining();
        model.eval();
        double total = 0;
        try (var ignored = Autograd.noGrad()) {
            for (int first = 0; first < VAL_WINDOWS; first += batch) {
                int[] x = new int[batch * t];
                int[] y = new int[batch * t];
                for (int b = 0; b < batch; b++) {
                    int start = (int) ((long) (first + b) * span / (VAL_WINDOWS - 1));
                    System.arraycopy(heldOut, start, x, b * t, t);
                    System.arraycopy(heldOut, start + 1, y, b * t, t);
                }
                total += model.loss(IntTensor.wrap(x, batch, t), IntTensor.wrap(y, batch, t)).item() * batch;
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        return total / VAL_WINDOWS;
    }
}
