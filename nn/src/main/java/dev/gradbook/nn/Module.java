package dev.gradbook.nn;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The base of every layer and model: a named tree of parameters, buffers and child modules.
 *
 * <p>A subclass registers what it owns in its constructor and keeps typed fields for reading:
 * <pre>{@code
 * public Linear(int in, int out, Rng rng) {
 *     weight = parameter("weight", Init.kaimingUniform(rng, out, in));
 *     bias = parameter("bias", Tensor.zeros(out));
 * }
 * }</pre>
 * Names compose with dots along the tree ({@code "blocks.0.attn.qkv.weight"}), which is how
 * {@link #stateDict()} names entries in a checkpoint and how LoRA finds the layers to adapt.
 *
 * <ul>
 *   <li>Parameters are tensors with {@code requiresGrad(true)}; optimizers update them in place,
 *       so the fields stay valid for the module's whole life.</li>
 *   <li>Buffers are state that is saved but not trained (BatchNorm's running statistics).</li>
 *   <li>{@link #train()} / {@link #eval()} switch layers such as Dropout and BatchNorm.</li>
 *   <li>{@link #freeze()} stops gradients to every parameter below this module.</li>
 * </ul>
 * There is deliberately no catch-all {@code forward}: each module declares the forward it
 * needs; single-input layers implement {@link Layer} so that {@link Sequential} can chain them.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    // ------------------------------------------------------------ registration (constructors)

    /** Registers a trainable tensor under {@code name} and returns it. */
    protected Tensor parameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers saved-but-not-trained state under {@code name} and returns it. */
    protected Tensor buffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module under {@code name} and returns it. */
    protected <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid name '" + name
                    + "' (names are non-empty and contain no dots)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already used");
        }
    }

    /**
     * Swaps the child registered as {@code name} for {@code replacement} (LoRA uses this to wrap
     * a Linear). The module must also update the field it reads in forward, which it does by
     * overriding {@link #onChildReplaced}; modules that do not are not adaptable this way.
     */
    public void replaceChild(String name, Module replacement) {
        if (!children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no child named '" + name
                    + "' (children: " + children.keySet() + ")");
        }
        onChildReplaced(name, replacement);
        children.put(name, replacement);
    }

    /** Points the field behind child {@code name} at {@code replacement}. See {@link #replaceChild}. */
    protected void onChildReplaced(String name, Module replacement) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support replacing its child '"
                + name + "'");
    }

    // ------------------------------------------------------------ the tree

    /** The direct children, in registration order. */
    public Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** This module ({@code ""}) and every module below it, by dotted path, depth first. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out);
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out) {
        out.put(prefix, m);
        for (Map.Entry<String, Module> e : m.children.entrySet()) {
            collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
        }
    }

    /** Every parameter below this module, by dotted name. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : e.getValue().parameters.entrySet()) {
                out.put(prefix + p.getKey(), p.getValue());
            }
        }
        return out;
    }

    /** Every parameter below this module (each tensor once, even if shared, as in a tied head). */
    public List<Tensor> parameters() {
        Set<Tensor> unique = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        unique.addAll(namedParameters().values());
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : namedParameters().values()) {
            if (unique.remove(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The parameters that currently receive gradients (not frozen). */
    public Map<String, Tensor> trainableParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> {
            if (v.requiresGrad()) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The number of parameter values (shared tensors counted once). */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) {
            n += t.numel();
        }
        return n;
    }

    /** The number of values in parameters that are not frozen. */
    public long trainableParameterCount() {
        long n = 0;
        for (Tensor t : parameters()) {
            if (t.requiresGrad()) {
                n += t.numel();
            }
        }
        return n;
    }

    /** Forgets every parameter's gradient: call before each backward. */
    public void zeroGrad() {
        for (Tensor t : parameters()) {
            t.zeroGrad();
        }
    }

    /** Stops gradients to all parameters below this module (they become constants). */
    public Module freeze() {
        for (Tensor t : parameters()) {
            t.requiresGrad(false);
            t.zeroGrad();
        }
        return this;
    }

    /** Makes all parameters below this module trainable again. */
    public Module unfreeze() {
        for (Tensor t : parameters()) {
            t.requiresGrad(true);
        }
        return this;
    }

    // ------------------------------------------------------------ modes

    /** Training mode (the default): Dropout drops, BatchNorm uses and updates batch statistics. */
    public Module train() {
        return setTraining(true);
    }

    /** Evaluation mode: Dropout is the identity, BatchNorm uses its running statistics. */
    public Module eval() {
        return setTraining(false);
    }

    public boolean isTraining() {
        return training;
    }

    private Module setTraining(boolean on) {
        for (Module m : namedModules().values()) {
            m.training = on;
        }
        return this;
    }

    // ------------------------------------------------------------ state

    /** Parameters and buffers by dotted name: what a checkpoint holds. The tensors are live, not copies. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : e.getValue().parameters.entrySet()) {
                out.put(prefix + p.getKey(), p.getValue());
            }
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /** Loads every entry strictly: missing, unexpected and mis-shaped keys are all errors. */
    public void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers (in place, so
     * references held elsewhere, such as by an optimizer, stay valid). With {@code strict}, keys
     * missing from {@code state} or not present in the module are errors; shapes must always
     * match. Nothing is modified unless every check passes.
     */
    public void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>(own.keySet());
        missing.removeAll(state.keySet());
        Set<String> unexpected = new LinkedHashSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        if (strict && !missing.isEmpty()) {
            problems.add("missing keys " + missing);
        }
        if (strict && !unexpected.isEmpty()) {
            problems.add("unexpected keys " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor target = own.get(e.getKey());
            if (target != null && !Arrays.equals(target.shape(), e.getValue().shape())) {
                problems.add("'" + e.getKey() + "' has shape " + Shape.format(e.getValue().shape())
                        + " but the module expects " + Shape.format(target.shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict into " + getClass().getSimpleName() + ": "
                    + String.join("; ", problems));
        }
        try (var noGrad = Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                Tensor target = own.get(e.getKey());
                if (target != null) {
                    target.copyInPlace(e.getValue());
                }
            }
        }
    }

    // ------------------------------------------------------------ printing

    /** One line describing this module's own configuration, e.g. {@code "in=784, out=256"}. */
    protected String describe() {
        return "";
    }

    /** The module tree, one line per module, like PyTorch's printout. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTree(sb, "", 0);
        return sb.toString();
    }

    private void appendTree(StringBuilder sb, String name, int depth) {
        sb.append("  ".repeat(depth));
        if (!name.isEmpty()) {
            sb.append('(').append(name).append("): ");
        }
        sb.append(getClass().getSimpleName()).append('(').append(describe()).append(')');
        if (depth == 0) {
            sb.append(String.format(java.util.Locale.ROOT, "  [%,d parameters]", parameterCount()));
        }
        sb.append('\n');
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().appendTree(sb, e.getKey(), depth + 1);
        }
    }
}
