package dev.gradbook.transformer.lora;

import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.io.Safetensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Saves and loads only the LoRA factors of a model: a fine-tune of a large model is a file of a
 * few megabytes beside the shared pretrained weights. The file is safetensors with one entry per
 * factor, named {@code <module>.lora_A} and {@code <module>.lora_B}, and each module's
 * {@code alpha} in the metadata (as {@code <module>.alpha}), since the same A and B with a
 * different alpha would be a different model.
 */
public final class LoraAdapters {
    private LoraAdapters() {
    }

    /** The adapter layers of {@code model} by dotted module name. */
    public static Map<String, LowRankAdapter> find(Module model) {
        Map<String, LowRankAdapter> out = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (m instanceof LowRankAdapter adapter) {
                out.put(name, adapter);
            }
        });
        return out;
    }

    /**
     * Freezes every parameter of {@code model} except the A and B of its adapters: what
     * {@link Lora#apply} does first, so that applying LoRA a second time (to more layers) keeps
     * the earlier adapters trainable.
     */
    public static void freezeAllButAdapters(Module model) {
        model.freeze();
        for (LowRankAdapter adapter : find(model).values()) {
            adapter.loraA().requiresGrad(true);
            adapter.loraB().requiresGrad(true);
        }
    }

    /** Every A and B of {@code model}, keyed {@code <module>.lora_A} / {@code <module>.lora_B}; live tensors. */
    public static Map<String, Tensor> stateDict(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        find(model).forEach((name, adapter) -> {
            out.put(key(name, LowRankAdapter.A_NAME), adapter.loraA());
            out.put(key(name, LowRankAdapter.B_NAME), adapter.loraB());
        });
        return out;
    }

    /** Writes the adapters of {@code model} to {@code file} (atomically). */
    public static void save(Module model, Path file) {
        Map<String, LowRankAdapter> adapters = find(model);
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("LoraAdapters.save: the model has no LoRA layers (call Lora.apply first)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "gradbook-lora");
        adapters.forEach((name, adapter) -> metadata.put(key(name, "alpha"), Float.toString(adapter.alpha())));
        Safetensors.save(file, stateDict(model), metadata);
    }

    /**
     * Copies the adapters in {@code file} into {@code model}, which must have the same adapted
     * modules with the same ranks and alphas (apply LoRA the same way first). Nothing is changed
     * unless every check passes.
     */
    public static void load(Module model, Path file) {
        Safetensors.Contents contents = Safetensors.load(file);
        Map<String, Tensor> own = stateDict(model);
        List<String> problems = new ArrayList<>();
        Set<String> missing = new TreeSet<>(own.keySet());
        missing.removeAll(contents.tensors().keySet());
        Set<String> unexpected = new TreeSet<>(contents.tensors().keySet());
        unexpected.removeAll(own.keySet());
        if (!missing.isEmpty()) {
            problems.add("the file lacks " + missing);
        }
        if (!unexpected.isEmpty()) {
            problems.add("the model has no adapter for " + unexpected);
        }
        find(model).forEach((name, adapter) -> {
            String saved = contents.metadata().get(key(name, "alpha"));
            if (saved != null && !saved.equals(Float.toString(adapter.alpha()))) {
                problems.add("'" + name + "' was saved with alpha " + saved + " but the model has " + adapter.alpha());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("LoraAdapters.load " + file + ": " + String.join("; ", problems));
        }
        model.loadStateDict(contents.tensors(), false); // checks every shape before copying any value
    }

    private static String key(String module, String what) {
        return module.isEmpty() ? what : module + "." + what;
    }
}
