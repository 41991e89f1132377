package dev.gradbook.examples.llm.pretrain;

import dev.gradbook.nn.io.Dtype;

/**
 * What happens to gradients stored in float16, with and without loss scaling (Micikevicius et al.
 * 2018, "Mixed Precision Training", section 3.2).
 *
 * <p>float16 has 5 exponent bits: its smallest positive value is 2^-24 (about 6e-8) and its largest
 * 65504. Gradients of a real network are often far smaller than 1 and many fall below 2^-24, where
 * float16 rounds them to zero: the update they carried is lost. Multiplying the loss by a factor
 * {@code S} multiplies every gradient by {@code S} (the chain rule is linear), lifting them into
 * float16's range; dividing by {@code S} in float32 before the update gives the true gradient back.
 * Too large an {@code S} overflows the largest gradients to infinity instead, which is why dynamic
 * loss scaling halves {@code S} after an overflow and slowly raises it otherwise.
 */
public final class LossScaling {
    /** Of the non-zero gradients: how many became 0, how many infinite, and the relative error of the rest. */
    public record Damage(int zeroed, int overflowed, int nonZero, double relativeError) {
    }

    private LossScaling() {
    }

    /** Rounds {@code grads * scale} to float16 and back, divides by {@code scale}, and counts the damage. */
    public static Damage roundTrip(float[] grads, float scale) {
        int zeroed = 0;
        int overflowed = 0;
        int nonZero = 0;
        double errorSq = 0;
        double normSq = 0;
        for (float g : grads) {
            if (g == 0) {
                continue;
            }
            nonZero++;
            float back = Dtype.halfToFloat(Dtype.floatToHalf(g * scale)) / scale;
            if (Float.isInfinite(back)) {
                overflowed++;
                continue;
            }
            if (back == 0) {
                zeroed++;
            }
            errorSq += (double) (back - g) * (back - g);
            normSq += (double) g * g;
        }
        return new Damage(zeroed, overflowed, nonZero, Math.sqrt(errorSq / Math.max(normSq, Double.MIN_VALUE)));
    }
}
