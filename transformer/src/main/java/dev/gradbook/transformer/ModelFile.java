package dev.gradbook.transformer;

import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.io.Checkpoint;
import dev.gradbook.nn.io.ConfigJson;
import dev.gradbook.nn.io.Safetensors;
import dev.gradbook.nn.optim.Optimizer;
import dev.gradbook.transformer.tokenizer.Tokenizer;
import dev.gradbook.transformer.tokenizer.TokenizerJson;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A self-describing model file: a safetensors file whose metadata says what model the weights
 * belong to, so that the file alone rebuilds it, the way a Hugging Face directory carries its
 * {@code config.json} and {@code tokenizer.json} beside the weights. The metadata holds
 * <pre>
 *   gradbook.model       the kind of model: "Gpt", "BertEncoder", "Seq2SeqTransformer"
 *   gradbook.config      its configuration record as JSON ({@link ConfigJson})
 *   gradbook.tokenizer   the tokenizer it was trained with, as JSON ({@link TokenizerJson}), if any
 *   anything else        the caller's own entries (step, corpus, ...), returned on loading
 * </pre>
 * The tensors keep their {@link Module#stateDict()} names, so the file stays an ordinary weights
 * file for other tools; an optimizer's state may ride along under {@link Checkpoint#OPTIMIZER_PREFIX}
 * (restore it with {@link Checkpoint#load(Path, Module, Optimizer)} once the model is built).
 * Models offer this as {@code model.save(path)} and {@code Gpt.load(path)}.
 */
public final class ModelFile {
    /** Metadata keys that start with this are the file's description, not the caller's. */
    public static final String RESERVED_PREFIX = "gradbook.";
    static final String MODEL = "gradbook.model";
    static final String CONFIG = "gradbook.config";
    static final String TOKENIZER = "gradbook.tokenizer";

    /** A model read back from its file, with its tokenizer (null if none was saved) and the caller's metadata. */
    public record Loaded<M extends Module>(M model, Tokenizer tokenizer, Map<String, String> metadata) {
    }

    private ModelFile() {
    }

    /**
     * Saves {@code model}'s state dict with its description: {@code kind} and {@code config},
     * and {@code tokenizer} and {@code optimizer}'s state where not null. {@code metadata} (the
     * caller's own entries) must not use the {@value #RESERVED_PREFIX} prefix. Atomic, like every
     * save.
     */
    public static void save(Path file, Module model, String kind, Record config, Tokenizer tokenizer,
                            Optimizer optimizer, Map<String, String> metadata) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(MODEL, kind);
        all.put(CONFIG, ConfigJson.write(config));
        if (tokenizer != null) {
            all.put(TOKENIZER, TokenizerJson.write(tokenizer));
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().startsWith(RESERVED_PREFIX)) {
                throw new IllegalArgumentException("ModelFile.save: metadata key '" + e.getKey() + "' uses the prefix '"
                        + RESERVED_PREFIX + "', which is reserved for the model's own description");
            }
            all.put(e.getKey(), e.getValue());
        }
        Checkpoint.save(file, model, optimizer, all);
    }

    /**
     * Reads a file saved for a model of {@code kind}: builds the model from the stored
     * configuration with {@code build}, then loads its weights strictly (every name and shape
     * must match; optimizer entries are left for {@link Checkpoint#load}).
     */
    public static <C extends Record, M extends Module> Loaded<M> load(Path file, String kind, Class<C> configType,
                                                                     Function<C, M> build) {
        return load(file, kind, configType, Map.of(), build);
    }

    /**
     * As {@link #load(Path, String, Class, Function)}, for a configuration record that gained
     * components after files were written: a stored configuration without one reads the value
     * {@code addedLater} gives it ({@link ConfigJson#read(String, Class, String, Map)}).
     */
    public static <C extends Record, M extends Module> Loaded<M> load(Path file, String kind, Class<C> configType,
                                                                     Map<String, Object> addedLater,
                                                                     Function<C, M> build) {
        Safetensors.Contents contents = Safetensors.load(file);
        Map<String, String> meta = contents.metadata();
        String where = file.toString();
        String stored = meta.get(MODEL);
        if (stored == null || !meta.containsKey(CONFIG)) {
            throw new IllegalArgumentException(where + ": not a self-describing model file (no '" + MODEL + "' and '"
                    + CONFIG + "' metadata); build the model yourself and use Checkpoint.load");
        }
        if (!stored.equals(kind)) {
            throw new IllegalArgumentException(where + ": holds a " + stored + ", not a " + kind);
        }
        M model = build.apply(ConfigJson.read(meta.get(CONFIG), configType, where, addedLater));
        Map<String, Tensor> weights = new LinkedHashMap<>(contents.tensors());
        weights.keySet().removeIf(name -> name.startsWith(Checkpoint.OPTIMIZER_PREFIX));
        try {
            model.loadStateDict(weights);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": the weights do not fit the " + kind + " its config describes: "
                    + e.getMessage(), e);
        }
        Tokenizer tokenizer = meta.containsKey(TOKENIZER) ? TokenizerJson.read(meta.get(TOKENIZER), where) : null;
        Map<String, String> callers = new LinkedHashMap<>(meta);
        callers.keySet().removeIf(key -> key.startsWith(RESERVED_PREFIX));
        return new Loaded<>(model, tokenizer, Collections.unmodifiableMap(callers));
    }
}
