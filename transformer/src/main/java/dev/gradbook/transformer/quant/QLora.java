package dev.gradbook.transformer.quant;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.lora.Lora;
import dev.gradbook.transformer.lora.LoraAdapters;
import dev.gradbook.transformer.lora.LoraReport;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * QLoRA (Dettmers et al., NeurIPS 2023): LoRA adapters on a model whose Linear layers were
 * quantised first ({@link Quantize#linears}). Freezes the model (except adapters it already
 * has) and wraps every chosen {@link QuantizedLinear} in a {@link QLoraLinear}; only the
 * adapters' A and B train. {@link #dequantizeAndMerge} turns the result back into a plain
 * float32 model for deployment.
 */
public final class QLora {
    private QLora() {
    }

    /** Adapts every QuantizedLinear whose full dotted name matches the regular expression {@code pattern}. */
    public static LoraReport apply(Module model, String pattern, int r, float alpha, float dropout, Rng rng) {
        return apply(model, Pattern.compile(pattern).asMatchPredicate(), r, alpha, dropout, rng);
    }

    /**
     * Adapts every QuantizedLinear whose name is one of {@code targetModules} or ends with
     * {@code "." + } one of them, as {@link Lora#apply(Module, List, int, float, float, Rng)} does.
     */
    public static LoraReport apply(Module model, List<String> targetModules, int r, float alpha, float dropout,
                                   Rng rng) {
        return apply(model, Lora.bySuffix(targetModules), r, alpha, dropout, rng);
    }

    /**
     * Freezes {@code model} and wraps each QuantizedLinear whose name satisfies {@code target}.
     * The report's total counts the quantised weights too (they are not tensors, so
     * {@code parameterCount()} does not see them).
     */
    public static LoraReport apply(Module model, Predicate<String> target, int r, float alpha, float dropout,
                                   Rng rng) {
        LoraAdapters.freezeAllButAdapters(model);
        List<String> adapted = Lora.replace(model, target, QuantizedLinear.class,
                base -> new QLoraLinear(base, r, alpha, dropout, rng));
        long quantized = 0;
        for (Module m : model.namedModules().values()) {
            if (m instanceof QuantizedLinear q) {
                quantized += (long) q.weight.rows() * q.weight.cols();
            }
        }
        return new LoraReport(adapted, r, alpha, model.trainableParameterCount(), model.parameterCount() + quantized);
    }

    /**
     * Replaces every {@link QLoraLinear} by a float32 {@link Linear} with weight
     * {@code dequant(W) + (alpha / r) B A}, and every remaining {@link QuantizedLinear} by one with
     * weight {@code dequant(W)}: the same function as the QLoRA model (up to float32 rounding), as
     * a plain model of the original architecture whose state dict loads into a freshly built one.
     * The weights take 32 bits again; re-quantising the merged weight instead would change the
     * function, since {@code W + BA} does not round to the codes of {@code W}. Modifies
     * {@code model} in place, makes every parameter trainable (as {@link Lora#mergeAndUnload}
     * does) and returns it.
     */
    public static <M extends Module> M dequantizeAndMerge(M model) {
        Map<String, Module> modules = model.namedModules();
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String name = e.getKey();
            Module parent = modules.get(parentName(name));
            if (name.isEmpty() || parent instanceof QLoraLinear) {
                continue;                                   // its base, replaced with the adapter
            }
            Linear plain;
            if (e.getValue() instanceof QLoraLinear adapter) {
                plain = floatLinear(adapter.base, adapter.base.weight.dequantize().add(adapter.deltaWeight()));
            } else if (e.getValue() instanceof QuantizedLinear q) {
                plain = floatLinear(q, q.weight.dequantize());
            } else {
                continue;
            }
            parent.replaceChild(name.substring(name.lastIndexOf('.') + 1), plain);
        }
        model.unfreeze();
        return model;
    }

    private static Linear floatLinear(QuantizedLinear q, Tensor weight) {
        Linear linear = new Linear(q.inFeatures, q.outFeatures, q.bias != null, new Rng(0)); // values overwritten
        try (var ignored = Autograd.noGrad()) {
            linear.weight.copyInPlace(weight);
            if (q.bias != null) {
                linear.bias.copyInPlace(q.bias);
            }
        }
        return linear;
    }

    private static String parentName(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }
}
