package dev.gradbook.transformer.quant;

import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.lora.Lora;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Post-training quantisation of a model's Linear layers, in place:
 * <pre>{@code
 * System.out.println(MemoryReport.of(gpt));                   // what int8 and NF4 would save
 * Quantize.linears(gpt, ".*", QuantizedLinear.Format.NF4);    // every Linear -> 4 bits
 * QLora.apply(gpt, ".*attn.*", 8, 16f, 0f, new Rng(0));       // then fine-tune adapters on top
 * }</pre>
 * Layers are chosen by dotted module name, as in {@link Lora#apply}; their parents must support
 * {@link Module#replaceChild}.
 */
public final class Quantize {
    private Quantize() {
    }

    /** Quantises every Linear whose full dotted name matches the regular expression {@code pattern}. */
    public static List<String> linears(Module model, String pattern, QuantizedLinear.Format format) {
        return linears(model, Pattern.compile(pattern).asMatchPredicate(), format);
    }

    /** Replaces every Linear whose name satisfies {@code target} by a {@link QuantizedLinear}; returns their names. */
    public static List<String> linears(Module model, Predicate<String> target, QuantizedLinear.Format format) {
        return Lora.replace(model, target, Linear.class, linear -> QuantizedLinear.of(linear, format));
    }
}
