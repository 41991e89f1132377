package dev.gradbook.transformer.lora;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns a model into a LoRA model (Hu et al., ICLR 2022): freeze every parameter, then wrap each
 * chosen {@link Linear} in a {@link LoraLinear}, whose A and B are the only trainable tensors.
 *
 * <p>Layers are chosen by their dotted module names, the names of {@link Module#namedModules()}.
 * The paper adapts only the attention projections ({@code Wq} and {@code Wv} work best for a
 * fixed budget, section 7.1), so a typical call is
 * <pre>{@code
 * LoraReport report = Lora.apply(gpt, ".*attn\\.(query|value)", 8, 16f, 0f, new Rng(0));
 * System.out.println(report);   // LoRA r=8 alpha=16.0 on 4 modules [...]: 12,288 of ... trainable
 * }</pre>
 * The swap goes through {@link Module#replaceChild}, so a parent module must support it (update
 * its field in {@code onChildReplaced}); the old Linear lives on, frozen, as the wrapper's
 * {@code base}.
 */
public final class Lora {
    private Lora() {
    }

    /** Adapts every Linear whose full dotted name matches the regular expression {@code pattern}. */
    public static LoraReport apply(Module model, String pattern, int r, float alpha, float dropout, Rng rng) {
        return apply(model, Pattern.compile(pattern).asMatchPredicate(), r, alpha, dropout, rng);
    }

    /**
     * Adapts every Linear whose name is one of {@code targetModules} or ends with
     * {@code "." + } one of them, as PEFT's {@code target_modules=["query", "value"]} chooses
     * layers. Gradbook's names: {@code query}, {@code key}, {@code value}, {@code proj} in attention,
     * {@code fc} and {@code proj} in the MLP (GPT-2's packed {@code c_attn} is split into the
     * first three; see {@code Gpt2Weights}).
     */
    public static LoraReport apply(Module model, List<String> targetModules, int r, float alpha, float dropout,
                                   Rng rng) {
        return apply(model, bySuffix(targetModules), r, alpha, dropout, rng);
    }

    /**
     * The names equal to one of {@code targetModules} or ending with {@code "." + } one of them
     * (PEFT's {@code target_modules}): {@code "attn.query"} picks {@code blocks.0.attn.query} but
     * not {@code blocks.0.attn.query_norm}.
     */
    public static Predicate<String> bySuffix(List<String> targetModules) {
        if (targetModules.isEmpty()) {
            throw new IllegalArgumentException("Lora: no target modules given");
        }
        List<String> targets = List.copyOf(targetModules);
        return name -> targets.stream().anyMatch(t -> name.equals(t) || name.endsWith("." + t));
    }

    /**
     * Freezes {@code model} (all but the A and B of adapters it already has) and wraps every
     * Linear whose dotted name satisfies {@code target} in a {@link LoraLinear} of rank {@code r}.
     * Modifies {@code model} in place.
     */
    public static LoraReport apply(Module model, Predicate<String> target, int r, float alpha, float dropout,
                                   Rng rng) {
        LoraAdapters.freezeAllButAdapters(model);
        List<String> adapted = replace(model, target, Linear.class,
                linear -> new LoraLinear(linear, r, alpha, dropout, rng));
        return new LoraReport(adapted, r, alpha, model.trainableParameterCount(), model.parameterCount());
    }

    /**
     * Replaces, in its parent, every module of class {@code type} whose dotted name satisfies
     * {@code target} by {@code wrap(module)}, and returns the names replaced. Modules that are
     * already the base of an adapter are left alone, so applying twice does not wrap twice. An
     * empty match is an error that lists the candidates, since it is almost always a typo.
     */
    public static <T extends Module> List<String> replace(Module model, Predicate<String> target, Class<T> type,
                                                          Function<T, Module> wrap) {
        Map<String, Module> modules = model.namedModules();
        List<String> candidates = new ArrayList<>();
        List<String> chosen = new ArrayList<>();
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || !type.isInstance(e.getValue())
                    || modules.get(parentName(name)) instanceof LowRankAdapter) {
                continue;
            }
            candidates.add(name);
            if (target.test(name)) {
                chosen.add(name);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("replace: no " + type.getSimpleName() + " module name matches the "
                    + "target; the candidates are " + candidates);
        }
        for (String name : chosen) {
            Module parent = modules.get(parentName(name));
            parent.replaceChild(name.substring(name.lastIndexOf('.') + 1), wrap.apply(type.cast(modules.get(name))));
        }
        return chosen;
    }

    private static String parentName(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** Merges every {@link LoraLinear} of {@code model} into its base weight (for inference). */
    public static void mergeAll(Module model) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof LoraLinear lora) {
                lora.merge();
            }
        }
    }

    /**
     * Merges every {@link LoraLinear} into its base weight and puts the base Linear back in its
     * place, so that {@code model} is again the plain model it was before {@link #apply}, with
     * the fine-tuned weights (PEFT's {@code merge_and_unload}). Its state dict then loads into a
     * freshly built model of the same config, and every parameter is trainable again. Modifies
     * {@code model} in place and returns it. A QLoRA layer cannot be unloaded: its base is
     * quantised, not a Linear.
     */
    public static <M extends Module> M mergeAndUnload(M model) {
        Map<String, Module> modules = model.namedModules();
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            if (e.getValue() instanceof LowRankAdapter && !(e.getValue() instanceof LoraLinear)) {
                throw new IllegalArgumentException("Lora.mergeAndUnload: '" + e.getKey() + "' is a "
                        + e.getValue().getClass().getSimpleName() + ", whose base is not a Linear");
            }
        }
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            if (e.getValue() instanceof LoraLinear lora) {
                if (!lora.isMerged()) {
                    lora.merge();
                }
                String name = e.getKey();
                modules.get(parentName(name)).replaceChild(name.substring(name.lastIndexOf('.') + 1), lora.base);
            }
        }
        model.unfreeze();
        return model;
    }

    /**
     * Loads a base model's state dict (names as in the plain model, {@code blocks.0.attn.query.weight})
     * into a model that already has LoRA layers ({@code blocks.0.attn.query.base.weight}): LoRA can
     * be applied first and the pretrained weights loaded afterwards. The adapters' A and B are
     * left as they are; every other entry must match by name and shape.
     */
    public static void loadBase(Module model, Map<String, Tensor> baseState) {
        Map<String, LowRankAdapter> adapters = LoraAdapters.find(model);
        adapters.forEach((name, adapter) -> {
            if (adapter instanceof LoraLinear lora && lora.isMerged()) {
                throw new IllegalStateException("Lora.loadBase: '" + name + "' is merged; unmerge before loading a base");
            }
        });
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        baseState.forEach((name, t) -> {
            int dot = name.lastIndexOf('.');
            boolean adapted = dot > 0 && adapters.get(name.substring(0, dot)) instanceof LoraLinear;
            renamed.put(adapted ? name.substring(0, dot) + ".base" + name.substring(dot) : name, t);
        });
        Set<String> expected = new TreeSet<>(model.stateDict().keySet());
        expected.removeAll(LoraAdapters.stateDict(model).keySet());
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(renamed.keySet());
        Set<String> unexpected = new TreeSet<>(renamed.keySet());
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("Lora.loadBase: the base state dict does not fit the model: missing "
                    + missing + ", unexpected " + unexpected);
        }
        model.loadStateDict(renamed, false);            // checks every shape before copying any value
    }

    /** Undoes {@link #mergeAll}. */
    public static void unmergeAll(Module model) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof LoraLinear lora) {
                lora.unmerge();
            }
        }
    }
}
