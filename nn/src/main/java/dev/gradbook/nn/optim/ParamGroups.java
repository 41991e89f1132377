package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters split into groups that get different weight decay, as PyTorch's optimizers take a
 * list of {@code param_groups}. The usual split is nanoGPT's ({@link #decayMatricesOnly}):
 * weight decay pulls the matrices of matrix multiplies and embeddings toward zero, and leaves
 * alone the biases and the layer-norm gains, which are few, do not make the model more complex,
 * and a norm gain pulled toward 0 would switch its feature off.
 *
 * <pre>{@code
 * ParamGroups groups = ParamGroups.decayMatricesOnly(model.namedParameters(), 0.1f);
 * AdamW optimizer = new AdamW(groups, AdamW.Config.defaults().withLr(6e-4f));
 * }</pre>
 * A group's weight decay replaces the one in the optimizer's config; everything else in the
 * config applies to every group. Groups are configuration, not state: an optimizer's state dict
 * is the same with or without them.
 */
public final class ParamGroups {
    /**
     * One group.
     *
     * @param parameters  named parameters
     * @param weightDecay the decay for these parameters, &gt;= 0
     */
    public record Group(Map<String, Tensor> parameters, float weightDecay) {
        public Group {
            if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("ParamGroups.Group: weight decay must be finite and >= 0, got "
                        + weightDecay);
            }
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }

    private final List<Group> groups;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Float> weightDecay = new LinkedHashMap<>();

    private ParamGroups(List<Group> groups) {
        this.groups = List.copyOf(groups);
        for (Group g : groups) {
            g.parameters().forEach((name, p) -> {
                if (parameters.put(name, p) != null) {
                    throw new IllegalArgumentException("ParamGroups: parameter '" + name + "' is in two groups");
                }
                weightDecay.put(name, g.weightDecay());
            });
        }
    }

    /** The given groups, in order; a parameter may belong to one group only. */
    public static ParamGroups of(Group... groups) {
        return new ParamGroups(List.of(groups));
    }

    /**
     * Two groups, as nanoGPT configures AdamW: parameters with two or more dimensions (the
     * weights of Linear and convolution layers, embeddings) decay by {@code weightDecay}; vectors
     * and scalars (biases, layer-norm and batch-norm gains) do not decay.
     */
    public static ParamGroups decayMatricesOnly(Map<String, Tensor> parameters, float weightDecay) {
        Map<String, Tensor> decay = new LinkedHashMap<>();
        Map<String, Tensor> noDecay = new LinkedHashMap<>();
        parameters.forEach((name, p) -> (p.dim() >= 2 ? decay : noDecay).put(name, p));
        List<Group> groups = new ArrayList<>();
        groups.add(new Group(decay, weightDecay));
        groups.add(new Group(noDecay, 0f));
        return new ParamGroups(groups);
    }

    /** The groups, in order. */
    public List<Group> groups() {
        return groups;
    }

    /** Every parameter of every group, by name, in group order. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The weight decay of parameter {@code name}. */
    public float weightDecay(String name) {
        Float wd = weightDecay.get(name);
        if (wd == null) {
            throw new IllegalArgumentException("ParamGroups: no parameter named '" + name + "'");
        }
        return wd;
    }
}
