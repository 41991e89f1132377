package dev.gradbook.transformer.fused;

import dev.gradbook.nn.GELU;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.attention.ScaledDotProductAttention;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plugs the hand-written twins into a model built from readable modules, the way
 * {@link dev.gradbook.transformer.lora.Lora#apply} plugs in adapters: every
 * <ul>
 *   <li>{@link LayerNorm} with gamma and beta becomes a {@link FusedLayerNorm} (same parameter tensors),</li>
 *   <li>{@link GELU} with the tanh approximation becomes a {@link FusedGelu},</li>
 *   <li>{@link ScaledDotProductAttention} becomes a {@link FusedScaledDotProductAttention},</li>
 * </ul>
 * through {@link Module#replaceChild}. The parameters are the same tensors, so an optimizer made
 * before the call keeps working and the state dict keeps its names; the model computes the same
 * function to float rounding (the tests check values and gradients). A training loop that wants
 * speed calls {@code Fused.apply(model)} once after building the model:
 * <pre>{@code
 * Gpt gpt = new Gpt(GptConfig.shakespeareChar(vocab), rng);
 * Fused.apply(gpt);
 * }</pre>
 * Modules of subclasses are left alone (they may compute something else), as are modules whose
 * parent does not support {@code replaceChild}.
 */
public final class Fused {
    private Fused() {
    }

    /** Replaces every module listed above in {@code model} by its twin; returns the dotted names replaced. */
    public static List<String> apply(Module model) {
        Map<String, Module> modules = model.namedModules();
        List<String> replaced = new ArrayList<>();
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String name = e.getKey();
            Module twin = twin(e.getValue());
            if (name.isEmpty() || twin == null) {
                continue;
            }
            int dot = name.lastIndexOf('.');
            Module parent = modules.get(dot < 0 ? "" : name.substring(0, dot));
            if (!e.getValue().isTraining()) {
                twin.eval();                                    // keep the mode the readable module was in
            }
            try {
                parent.replaceChild(name.substring(dot + 1), twin);
                replaced.add(name);
            } catch (UnsupportedOperationException notAdaptable) {
                // this parent keeps its readable child
            }
        }
        return replaced;
    }

    /** The fast twin of {@code m}, or null if it has none. */
    private static Module twin(Module m) {
        if (m.getClass() == LayerNorm.class && ((LayerNorm) m).weight != null) {
            return new FusedLayerNorm((LayerNorm) m);
        }
        if (m.getClass() == GELU.class && ((GELU) m).tanhApproximation) {
            return new FusedGelu();
        }
        if (m.getClass() == ScaledDotProductAttention.class) {
            return new FusedScaledDotProductAttention((ScaledDotProductAttention) m);
        }
        return null;
    }
}
