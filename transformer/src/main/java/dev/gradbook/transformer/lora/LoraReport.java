package dev.gradbook.transformer.lora;

import java.util.List;
import java.util.Locale;

/**
 * What {@link Lora#apply} did: which modules got adapters, and how many parameters are left to
 * train out of how many in the whole model (A and B included in both counts).
 */
public record LoraReport(List<String> adapted, int r, float alpha, long trainableParameters, long totalParameters) {
    public LoraReport {
        adapted = List.copyOf(adapted);
    }

    /** Trainable parameters as a fraction of all parameters. */
    public double trainableFraction() {
        return totalParameters == 0 ? 0 : (double) trainableParameters / totalParameters;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LoRA r=%d alpha=%s on %d modules %s: %,d of %,d parameters trainable (%.2f%%)",
                r, alpha, adapted.size(), adapted, trainableParameters, totalParameters, 100 * trainableFraction());
    }
}
