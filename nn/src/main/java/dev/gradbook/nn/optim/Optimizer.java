package dev.gradbook.nn.optim;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of every optimizer: it holds the parameters by name, the learning rate, the step
 * count and per-parameter state ("slots", such as Adam's moment estimates), and can save and
 * restore all of it, so that a resumed run continues exactly where it stopped.
 *
 * <p>A subclass implements {@link #update(String, Tensor, Tensor)} for one parameter; this
 * class calls it for every parameter that has a gradient, under no-grad, after advancing the
 * step count. State is created lazily with {@link #slot}, named {@code "<slot>.<parameter>"}.
 */
public abstract class Optimizer {
    private final Map<String, Tensor> parameters;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private float learningRate;
    private long steps;

    /** @param parameters named parameters, usually {@code model.namedParameters()} */
    protected Optimizer(Map<String, Tensor> parameters, float learningRate) {
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be >= 0, got "
                    + learningRate);
        }
        // a tensor shared under two names (a tied embedding and head) is updated once
        this.parameters = new LinkedHashMap<>();
        java.util.Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        parameters.forEach((name, p) -> {
            if (seen.add(p)) {
                this.parameters.put(name, p);
            }
        });
        this.learningRate = learningRate;
    }

    /** Applies one update to every parameter that received a gradient. */
    public void step() {
        steps++;
        try (var ignored = dev.gradbook.core.Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
                Tensor p = e.getValue();
                if (p.requiresGrad() && p.grad() != null) {
                    update(e.getKey(), p, p.grad());
                    p.markModifiedInPlace();
                }
            }
        }
    }

    /** Updates parameter {@code p} (in place) from its gradient {@code g}. */
    protected abstract void update(String name, Tensor p, Tensor g);

    /** Forgets the gradients of all parameters. */
    public void zeroGrad() {
        for (Tensor p : parameters.values()) {
            p.zeroGrad();
        }
    }

    /** The per-parameter state {@code slot} of {@code param}, created as zeros on first use. */
    protected Tensor slot(String slot, String param, Tensor like) {
        return state.computeIfAbsent(slot + "." + param, k -> Tensor.zeros(like.shape()));
    }

    public float learningRate() {
        return learningRate;
    }

    /** Sets the learning rate (schedules call this before each step). */
    public void setLearningRate(float learningRate) {
        this.learningRate = learningRate;
    }

    /** How many times {@link #step()} has run (Adam's bias correction uses it). */
    public long steps() {
        return steps;
    }

    /** The parameters, by name. */
    public Map<String, Tensor> parameters() {
        return java.util.Collections.unmodifiableMap(parameters);
    }

    /** Step count, learning rate and every slot, as tensors: ready for a checkpoint. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("step", Tensor.scalar(steps));
        out.put("lr", Tensor.scalar(learningRate));
        out.putAll(state);
        return out;
    }

    /** Restores what {@link #stateDict()} saved; slots must name known parameters with their shapes. */
    public void loadStateDict(Map<String, Tensor> saved) {
        List<String> problems = new ArrayList<>();
        if (!saved.containsKey("step") || !saved.containsKey("lr")) {
            problems.add("missing 'step' or 'lr'");
        }
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            String key = e.getKey();
            if (key.equals("step") || key.equals("lr")) {
                continue;
            }
            int dot = key.indexOf('.');
            Tensor p = dot < 0 ? null : parameters.get(key.substring(dot + 1));
            if (p == null) {
                problems.add("'" + key + "' names no parameter of this optimizer");
            } else if (!Arrays.equals(p.shape(), e.getValue().shape())) {
                problems.add("'" + key + "' has shape " + Shape.format(e.getValue().shape()) + ", parameter has "
                        + Shape.format(p.shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: "
                    + String.join("; ", problems));
        }
        steps = (long) saved.get("step").item();
        learningRate = saved.get("lr").item();
        state.clear();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            if (!e.getKey().equals("step") && !e.getKey().equals("lr")) {
                state.put(e.getKey(), e.getValue().copy());
            }
        }
    }
}
