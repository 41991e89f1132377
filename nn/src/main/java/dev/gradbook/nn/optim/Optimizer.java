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
 * Parameters may come in {@link ParamGroups} with their own weight decay, which a subclass reads
 * with {@link #weightDecay(String, float)}.
 */
public abstract class Optimizer {
    private final Map<String, Tensor> parameters;
    /** Null: one group, every parameter gets the config's weight decay. */
    private final ParamGroups groups;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private float learningRate;
    private long steps;

    /** @param parameters named parameters, usually {@code model.namedParameters()} */
    protected Optimizer(Map<String, Tensor> parameters, float learningRate) {
        this(parameters, null, learningRate);
    }

    /** @param groups parameters in groups with their own weight decay (see {@link ParamGroups}) */
    protected Optimizer(ParamGroups groups, float learningRate) {
        this(groups.parameters(), groups, learningRate);
    }

    private Optimizer(Map<String, Tensor> parameters, ParamGroups groups, float learningRate) {
        this.groups = groups;
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

    /**
     * The weight decay of parameter {@code name}: its group's when the optimizer was built with
     * {@link ParamGroups}, otherwise {@code configured} (the config's, the same for all).
     */
    protected float weightDecay(String name, float configured) {
        return groups == null ? configured : groups.weightDecay(name);
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

    /**
     * Everything a resumed run needs from an optimizer, as {@link #stateDict()} returns it and
     * {@link dev.gradbook.nn.io.Checkpoint} stores it.
     *
     * @param kind         the optimizer's class, {@code "AdamW"}: a state loads only into its own kind
     * @param step         how many steps were taken (Adam's bias correction depends on it), &gt;= 0
     * @param learningRate the current learning rate, finite and &gt;= 0
     * @param slots        per-parameter state named {@code "<slot>.<parameter>"}, e.g. {@code "exp_avg.fc.weight"}
     */
    public record State(String kind, long step, float learningRate, Map<String, Tensor> slots) {
        public State {
            if (kind == null || kind.isEmpty()) {
                throw new IllegalArgumentException("Optimizer.State: the optimizer's kind is missing");
            }
            if (step < 0) {
                throw new IllegalArgumentException("Optimizer.State: the step count must be >= 0, got " + step);
            }
            if (!Float.isFinite(learningRate) || learningRate < 0) {
                throw new IllegalArgumentException("Optimizer.State: the learning rate must be finite and >= 0, got "
                        + learningRate);
            }
            slots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slots));
        }
    }

    /** The optimizer's kind as {@link State} records it: its class's simple name. */
    public String kind() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getName() : simple;
    }

    /** The kind, step count, learning rate and every slot (the live tensors, not copies): ready for a checkpoint. */
    public State stateDict() {
        return new State(kind(), steps, learningRate, state);
    }

    /**
     * Checks that {@code saved} fits this optimizer without changing anything: the same kind,
     * and slots that name known parameters with their shapes. Throws an
     * IllegalArgumentException listing every problem.
     */
    public void checkStateDict(State saved) {
        List<String> problems = new ArrayList<>();
        if (!saved.kind().equals(kind())) {
            problems.add("the state was saved by " + saved.kind() + ", and this optimizer is " + kind());
        }
        for (Map.Entry<String, Tensor> e : saved.slots().entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            Tensor p = dot < 0 ? null : parameters.get(key.substring(dot + 1));
            if (p == null) {
                problems.add("'" + key + "' names no parameter of this optimizer");
            } else if (e.getValue() == null || !Arrays.equals(p.shape(), e.getValue().shape())) {
                problems.add("'" + key + "' has shape " + (e.getValue() == null ? "null" : Shape.format(e.getValue().shape()))
                        + ", parameter has " + Shape.format(p.shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: "
                    + String.join("; ", problems));
        }
    }

    /** Restores what {@link #stateDict()} saved, after {@link #checkStateDict} (nothing changes if it fails). */
    public void loadStateDict(State saved) {
        checkStateDict(saved);
        steps = saved.step();
        learningRate = saved.learningRate();
        state.clear();
        saved.slots().forEach((key, t) -> state.put(key, t.copy()));
    }
}
