package dev.gradbook.transformer.lora;

import dev.gradbook.core.Tensor;

/**
 * A layer that adds a trainable low-rank update {@code (alpha / r) B A} to a frozen weight:
 * {@link LoraLinear} over a float32 {@code Linear}, and {@code QLoraLinear} over a quantised one.
 * {@link LoraAdapters} saves and loads the {@code A} and {@code B} of every such layer.
 */
public interface LowRankAdapter {
    /** The parameter names under which A and B are registered (as in Hugging Face PEFT). */
    String A_NAME = "lora_A";
    String B_NAME = "lora_B";

    /** {@code A}, shape {@code (r, in)}: random at the start. */
    Tensor loraA();

    /** {@code B}, shape {@code (out, r)}: zero at the start, so the update starts at zero. */
    Tensor loraB();

    /** The rank {@code r} of the update. */
    int rank();

    /** The scale numerator: the update is multiplied by {@code alpha / r}. */
    float alpha();
}
