package dev.gradbook.transformer.quant;

import dev.gradbook.core.Rng;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.lora.Lora;
import dev.gradbook.transformer.lora.LoraAdapters;
import dev.gradbook.transformer.lora.LoraReport;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * QLoRA (Dettmers et al., NeurIPS 2023): LoRA adapters on a model whose Linear layers were
 * quantised first ({@link Quantize#linears}). Freezes the model (except adapters it already
 * has) and wraps every chosen {@link QuantizedLinear} in a {@link QLoraLinear}; only the
 * adapters' A and B train.
 */
public final class QLora {
    private QLora() {
    }

    /** Adapts every QuantizedLinear whose full dotted name matches the regular expression {@code pattern}. */
    public static LoraReport apply(Module model, String pattern, int r, float alpha, float dropout, Rng rng) {
        return apply(model, Pattern.compile(pattern).asMatchPredicate(), r, alpha, dropout, rng);
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
}
