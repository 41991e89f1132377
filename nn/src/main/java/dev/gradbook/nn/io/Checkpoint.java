package dev.gradbook.nn.io;

import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.optim.Optimizer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: a model's state, optionally its optimizer's state, and string
 * metadata (epoch, step, configuration), all in one safetensors file.
 *
 * <p>The model's tensors keep their {@link Module#stateDict()} names ({@code "fc1.weight"}), so
 * the file is also an ordinary weights file for other tools; the optimizer's tensors (its step
 * count, learning rate and moment estimates) are stored under {@value #OPTIMIZER_PREFIX}. A run
 * resumed from a checkpoint continues bit for bit as if it had never stopped, provided that the
 * rest of its state (the position in the data, see {@code DataLoader}) is restored too; the
 * metadata is the place to record that position.
 *
 * <pre>{@code
 * Checkpoint.save(path, model, optimizer, Map.of("epoch", "3", "batch", "120"));
 * ...
 * Map<String, String> meta = Checkpoint.load(path, model, optimizer);
 * int epoch = Integer.parseInt(meta.get("epoch"));
 * }</pre>
 */
public final class Checkpoint {
    /** The prefix of the optimizer's entries in the file. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

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
                throw new IllegalArgumentException("Checkpoint.save: the model's entry '" + e.getKey()
                        + "' would be mistaken for optimizer state (prefix '" + OPTIMIZER_PREFIX + "')");
            }
            all.put(e.getKey(), e.getValue());
        }
        if (optimizer != null) {
            optimizer.stateDict().forEach((name, t) -> all.put(OPTIMIZER_PREFIX + name, t));
        }
        Safetensors.save(file, all, metadata);
    }

    /** Restores the model's state (strictly: every key must match); returns the metadata. */
    public static Map<String, String> load(Path file, Module model) {
        return load(file, model, null);
    }

    /**
     * Restores the model's state (strictly) and, if {@code optimizer} is not null, the
     * optimizer's, which the file must then hold. Returns the metadata.
     */
    public static Map<String, String> load(Path file, Module model, Optimizer optimizer) {
        Safetensors.Contents contents = Safetensors.load(file);
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        contents.tensors().forEach((name, t) -> {
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizerState.put(name.substring(OPTIMIZER_PREFIX.length()), t);
            } else {
                modelState.put(name, t);
            }
        });
        if (optimizer != null && optimizerState.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + " holds no optimizer state");
        }
        model.loadStateDict(modelState);
        if (optimizer != null) {
            optimizer.loadStateDict(optimizerState);
        }
        return contents.metadata();
    }
}
