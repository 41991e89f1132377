package dev.gradbook.nn.io;

import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.optim.Optimizer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A training checkpoint: a model's state, optionally its optimizer's state, and string
 * metadata (epoch, step, configuration), all in one safetensors file.
 *
 * <p>The model's tensors keep their {@link Module#stateDict()} names ({@code "fc1.weight"}), so
 * the file is also an ordinary weights file for other tools. The optimizer's moment estimates
 * are stored as tensors under {@value #OPTIMIZER_PREFIX} ({@code "optimizer.exp_avg.fc1.weight"}),
 * and its kind, step count and learning rate as metadata under the same prefix:
 * <pre>
 *     optimizer.kind   "AdamW"    a state loads only into an optimizer of the same kind
 *     optimizer.step   "1200"     a non-negative integer, in decimal (a float would round above 2^24)
 *     optimizer.lr     "3.0E-4"   finite and &gt;= 0; Float.toString gives back the very same float
 * </pre>
 * A run resumed from a checkpoint continues bit for bit as if it had never stopped, provided that
 * the rest of its state (the position in the data, see {@code DataLoader}) is restored too; the
 * metadata is the place to record that position.
 *
 * <p>Loading is all or nothing: the file, the model's keys and shapes, and the optimizer's
 * kind, step, learning rate and slots are all checked before anything is changed, so a bad
 * checkpoint leaves model and optimizer exactly as they were.
 *
 * <pre>{@code
 * Checkpoint.save(path, model, optimizer, Map.of("epoch", "3", "batch", "120"));
 * ...
 * Map<String, String> meta = Checkpoint.load(path, model, optimizer);
 * int epoch = Integer.parseInt(meta.get("epoch"));
 * }</pre>
 */
public final class Checkpoint {
    /** The prefix of the optimizer's entries in the file, tensors and metadata alike. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    private static final String KIND = OPTIMIZER_PREFIX + "kind";
    private static final String STEP = OPTIMIZER_PREFIX + "step";
    private static final String LR = OPTIMIZER_PREFIX + "lr";
    private static final Pattern INTEGER = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]{1,3})?");

    private Checkpoint() {
    }

    /** Saves the model's state alone. */
    public static void save(Path file, Module model, Map<String, String> metadata) {
        save(file, model, null, metadata);
    }

    /** Saves the model's and (if not null) the optimizer's state with {@code metadata}, atomically. */
    public static void save(Path file, Module model, Optimizer optimizer, Map<String, String> metadata) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException("Checkpoint.save " + file + ": the model's entry '" + e.getKey()
                        + "' would be mistaken for optimizer state (prefix '" + OPTIMIZER_PREFIX + "')");
            }
            all.put(e.getKey(), e.getValue());
        }
        Map<String, String> allMetadata = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Safetensors.inFixedOrder(metadata)) {
            if (e.getKey() != null && e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException("Checkpoint.save " + file + ": the metadata key '" + e.getKey()
                        + "' is reserved for the optimizer's state (prefix '" + OPTIMIZER_PREFIX + "')");
            }
            allMetadata.put(e.getKey(), e.getValue());
        }
        if (optimizer != null) {
            Optimizer.State state = optimizer.stateDict();
            state.slots().forEach((name, t) -> all.put(OPTIMIZER_PREFIX + name, t));
            allMetadata.put(KIND, state.kind());
            allMetadata.put(STEP, Long.toString(state.step()));
            allMetadata.put(LR, Float.toString(state.learningRate()));
        }
        Safetensors.save(file, all, allMetadata);
    }

    /** Restores the model's state (strictly: every key must match); returns the metadata. */
    public static Map<String, String> load(Path file, Module model) {
        return load(file, model, null);
    }

    /**
     * Restores the model's state (strictly) and, if {@code optimizer} is not null, the
     * optimizer's, which the file must then hold. Everything is checked before anything
     * changes. Returns the caller's metadata (without the optimizer's entries).
     */
    public static Map<String, String> load(Path file, Module model, Optimizer optimizer) {
        Safetensors.Contents contents = Safetensors.load(file);
        if (!contents.intTensors().isEmpty()) {
            throw fail(file, "holds integer tensors " + Json.brief(contents.intTensors().keySet().toString())
                    + ", which no Module state has (is it a checkpoint written by Checkpoint.save?)");
        }
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, Tensor> slots = new LinkedHashMap<>();
        contents.tensors().forEach((name, t) -> {
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                slots.put(name.substring(OPTIMIZER_PREFIX.length()), t);
            } else {
                modelState.put(name, t);
            }
        });
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, String> saved = new LinkedHashMap<>();
        contents.metadata().forEach((key, value) -> (key.startsWith(OPTIMIZER_PREFIX) ? saved : metadata).put(key, value));

        Optimizer.State state = null;
        if (optimizer != null) {
            state = optimizerState(file, saved, slots);
            try {
                optimizer.checkStateDict(state);
            } catch (IllegalArgumentException e) {
                throw fail(file, e.getMessage());
            }
        }
        try {
            model.loadStateDict(modelState); // checks every key and shape before copying any value
        } catch (IllegalArgumentException e) {
            throw fail(file, e.getMessage());
        }
        if (optimizer != null) {
            optimizer.loadStateDict(state); // checked above: cannot fail
        }
        return metadata;
    }

    /** The optimizer's state as the file holds it, its step and learning rate parsed and checked. */
    private static Optimizer.State optimizerState(Path file, Map<String, String> saved, Map<String, Tensor> slots) {
        if (!saved.containsKey(KIND)) {
            throw fail(file, slots.isEmpty() ? "the file holds no optimizer state"
                    : "the file holds optimizer tensors but no '" + KIND + "' (written by an older Gradbook?); "
                    + "load the model alone with Checkpoint.load(file, model)");
        }
        String step = saved.getOrDefault(STEP, "");
        if (!INTEGER.matcher(step).matches()) {
            throw fail(file, "'" + STEP + "' is " + Json.quote(step) + ", not a non-negative integer");
        }
        String lr = saved.getOrDefault(LR, "");
        if (!DECIMAL.matcher(lr).matches() || !Float.isFinite(Float.parseFloat(lr))) {
            throw fail(file, "'" + LR + "' is " + Json.quote(lr) + ", not a finite learning rate >= 0");
        }
        try {
            return new Optimizer.State(saved.get(KIND), Long.parseLong(step), Float.parseFloat(lr), slots);
        } catch (IllegalArgumentException e) {
            throw fail(file, e.getMessage());
        }
    }

    private static IllegalArgumentException fail(Path file, String problem) {
        return new IllegalArgumentException("Checkpoint.load " + file + ": " + problem);
    }
}
