package dev.gradbook.transformer.attention;

import dev.gradbook.core.Rng;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;

/**
 * The learned part of multi-head attention (Vaswani et al. 2017, section 3.2.2, figure 2): the
 * projections {@code W^Q, W^K, W^V} that turn the inputs into queries, keys and values, and
 * {@code W^O} that mixes the heads' outputs, around a {@link ScaledDotProductAttention}.
 * {@link MultiHeadAttention} and {@link CausalSelfAttention} share them and differ in the rest:
 * where the queries, keys and values come from, the mask, the cache and position rotation.
 *
 * <p>Children, in this order: {@code query}, {@code key}, {@code value} and {@code proj}, each a
 * {@code Linear(C, C)}, and {@code attention}. The projections are plain {@link Layer} fields so
 * that LoRA can swap them by name ({@link #replaceChild}); {@code attention} can be swapped for a
 * faster twin the same way.
 */
public abstract class AttentionProjections extends Module {
    public final int nHead;
    protected Layer query; // W^Q
    protected Layer key;   // W^K
    protected Layer value; // W^V
    protected Layer proj;  // W^O
    protected ScaledDotProductAttention attention;

    /** @param widthName what the subclass calls the width {@code C} ({@code nEmbd}, {@code dModel}), for errors */
    protected AttentionProjections(String widthName, int c, int nHead, float dropout, boolean bias, Rng rng) {
        if (nHead <= 0 || c % nHead != 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + widthName + " " + c
                    + " is not divisible by " + nHead + " heads");
        }
        this.nHead = nHead;
        this.query = child("query", new Linear(c, c, bias, rng));
        this.key = child("key", new Linear(c, c, bias, rng));
        this.value = child("value", new Linear(c, c, bias, rng));
        this.proj = child("proj", new Linear(c, c, bias, rng));
        this.attention = child("attention", new ScaledDotProductAttention(dropout, rng.split()));
    }

    /** The attention inside, e.g. to keep its weights for a picture. */
    public ScaledDotProductAttention attention() {
        return attention;
    }

    @Override
    protected void onChildReplaced(String name, Module replacement) {
        switch (name) {
            case "query" -> query = (Layer) replacement;
            case "key" -> key = (Layer) replacement;
            case "value" -> value = (Layer) replacement;
            case "proj" -> proj = (Layer) replacement;
            case "attention" -> {
                if (!(replacement instanceof ScaledDotProductAttention twin)) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": child 'attention' must be "
                            + "replaced by a ScaledDotProductAttention, got " + replacement.getClass().getSimpleName());
                }
                attention = twin;
            }
            default -> super.onChildReplaced(name, replacement);
        }
    }
}
