package dev.gradbook.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode engine. Every op that produces a tensor from inputs that require gradients
 * records a {@link Backward} closure on its output (see {@link Tensor#recordOp}). Calling
 * {@link Tensor#backward()} on a result then:
 * <ol>
 *   <li>sorts the graph below it topologically, so that each tensor comes after every tensor
 *       that was computed from it (iteratively, with an explicit stack: a chain of 100,000 ops
 *       must not overflow the Java stack);</li>
 *   <li>seeds the result's gradient ({@code 1} for a scalar) and visits the tensors from the
 *       result back to the leaves; each closure turns its output's gradient into gradients for
 *       its inputs by the chain rule and adds them to those inputs' {@code grad}.</li>
 * </ol>
 * By the time a tensor is visited, every consumer has already added its share, so its gradient
 * is complete. The closures run with gradients disabled: backward computes numbers, not graphs.
 *
 * <p>Two switches are thread-confined, so one thread's evaluation never affects another's
 * training: {@link #noGrad()} (stop recording, e.g. for evaluation and optimizer updates) and
 * {@link #detectAnomaly()} (check every op's output and every gradient for NaN or infinity and
 * name the op that produced the first one).
 */
public final class Autograd {
    private Autograd() {
    }

    /** The local derivative of one op: given d(loss)/d(output), add d(loss)/d(input) to each input. */
    @FunctionalInterface
    public interface Backward {
        void apply(Tensor gradOutput);
    }

    /** The backward of an op defined outside core: the gradient for each input, or null for none. */
    @FunctionalInterface
    public interface CustomBackward {
        Tensor[] apply(Tensor gradOutput);
    }

    /**
     * Defines a new differentiable op outside core (PyTorch's {@code autograd.Function}): compute
     * {@code output} from {@code inputs} with plain loops, then call this with the derivative.
     * Each returned gradient may have the input's shape or a shape that broadcasts to it (it is
     * summed back). Returns {@code output}, now linked into the graph.
     * <pre>{@code
     * Tensor y = Tensor.wrap(im2colLoops(x), shape);
     * return Autograd.customOp("im2col", y, g -> new Tensor[] {col2imLoops(g)}, x);
     * }</pre>
     */
    public static Tensor customOp(String name, Tensor output, CustomBackward backward, Tensor... inputs) {
        if (!output.isLeaf() || output.requiresGrad()) {
            throw new IllegalArgumentException("customOp '" + name + "': the output must be a fresh tensor");
        }
        return output.recordOp(name, g -> {
            Tensor[] grads = backward.apply(g);
            if (grads.length != inputs.length) {
                throw new IllegalStateException("customOp '" + name + "': backward returned " + grads.length
                        + " gradients for " + inputs.length + " inputs");
            }
            for (int i = 0; i < inputs.length; i++) {
                if (grads[i] != null) {
                    inputs[i].accumulateGrad(grads[i]);
                }
            }
        }, inputs);
    }

    /**
     * How many floats the graph ending at {@code root} keeps alive for backward: the sum of the
     * sizes of its non-leaf tensors (every op's output between the leaves and {@code root},
     * {@code root} included). This is the "activation memory" that gradient checkpointing trades
     * for recomputation; tensors an op saves besides its output are not counted. Leaves (inputs and
     * parameters) are not counted either: they live whether or not there is a graph.
     */
    public static long graphFloats(Tensor root) {
        java.util.Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Tensor> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        long floats = 0;
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            if (t.isLeaf() || !seen.add(t)) {
                continue;
            }
            floats += t.numel();
            for (Tensor input : t.inputs()) {
                todo.push(input);
            }
        }
        return floats;
    }

    private static final ThreadLocal<boolean[]> GRAD_ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});
    private static final ThreadLocal<boolean[]> ANOMALY = ThreadLocal.withInitial(() -> new boolean[] {false});

    /** Whether ops on this thread currently record the graph. */
    public static boolean isGradEnabled() {
        return GRAD_ENABLED.get()[0];
    }

    /** Whether anomaly detection is on for this thread. */
    public static boolean isAnomalyDetectionEnabled() {
        return ANOMALY.get()[0];
    }

    /**
     * A scope in which ops record nothing: {@code try (var scope = Autograd.noGrad()) { ... }}.
     * Closing it restores the previous state, so scopes nest.
     */
    public static Scope noGrad() {
        return new Scope(GRAD_ENABLED.get(), false);
    }

    /** The opposite scope, for recording inside a {@link #noGrad()} region. */
    public static Scope enableGrad() {
        return new Scope(GRAD_ENABLED.get(), true);
    }

    /**
     * A scope in which every op checks its output, and backward checks every gradient, for NaN
     * and infinity; the first one found throws an {@link ArithmeticException} naming the op.
     * It slows everything down: use it to find a bug, not to train.
     */
    public static Scope detectAnomaly() {
        return new Scope(ANOMALY.get(), true);
    }

    /** Restores a thread-local switch to its previous value when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] flag;
        private final boolean previous;

        private Scope(boolean[] flag, boolean value) {
            this.flag = flag;
            this.previous = flag[0];
            flag[0] = value;
        }

        @Override
        public void close() {
            flag[0] = previous;
        }
    }

    /**
     * Runs backward from {@code root}, whose gradient is {@code seed} (same shape as root). Each
     * op first checks that nothing it saved was written in place since the forward pass. Unless
     * {@code retainGraph}, the graph is freed afterwards: its intermediate tensors can be
     * collected, and a second backward through it throws instead of adding the gradients twice.
     */
    static void run(Tensor root, Tensor seed, boolean retainGraph) {
        List<Tensor> order = topologicalOrder(root);
        // Intermediate gradients belong to this pass only; leaves keep accumulating across passes.
        for (Tensor t : order) {
            if (!t.isLeaf()) {
                t.clearGrad();
            }
        }
        try (Scope ignored = noGrad()) {
            root.accumulateGrad(seed);
            boolean checking = isAnomalyDetectionEnabled();
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                if (t.isLeaf() || t.grad() == null) {
                    continue;
                }
                t.checkSavedVersions();
                t.backwardFn().apply(t.grad());
                if (checking) {
                    for (Tensor input : t.inputs()) {
                        if (input.grad() != null && input.grad().hasNonFinite()) {
                            throw new ArithmeticException("anomaly: the backward of '" + t.op()
                                    + "' produced a NaN or infinite gradient for an input of shape "
                                    + Shape.format(input.shape()));
                        }
                    }
                }
            }
        }
        if (!retainGraph) {
            for (Tensor t : order) {
                if (!t.isLeaf()) {
                    t.freeGraph();
                }
            }
        }
    }

    /**
     * Post-order depth-first search with an explicit stack: a tensor is emitted after all of its
     * inputs, so reading the list backwards visits each tensor before its inputs.
     */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> nextChild = new ArrayDeque<>();
        stack.push(root);
        nextChild.push(0);
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int child = nextChild.pop();
            Tensor[] inputs = t.inputs();
            if (child < inputs.length) {
                nextChild.push(child + 1);
                Tensor in = inputs[child];
                if (in.requiresGrad() && seen.put(in, Boolean.TRUE) == null) {
                    stack.push(in);
                    nextChild.push(0);
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
