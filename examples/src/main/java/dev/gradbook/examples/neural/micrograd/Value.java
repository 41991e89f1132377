package dev.gradbook.examples.neural.micrograd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A scalar that remembers how it was computed, so that the derivative of a final result with
 * respect to it can be found by the chain rule: reverse-mode automatic differentiation in one
 * small class (after Karpathy's micrograd, {@code micrograd/engine.py}).
 *
 * <p>Every operation returns a new Value holding the result, its inputs ({@code children}) and a
 * {@code backwardStep}: given {@code out.grad = dL/d(out)}, it adds {@code dL/d(input)} to each
 * input's {@code grad}, using the local derivative written above it. {@link #backward()} orders
 * the graph so that every value comes after everything computed from it, sets
 * {@code dL/dL = 1} and runs the steps from the result back to the inputs.
 *
 * <p>Gradients are <em>added</em> ({@code +=}), never assigned: a value used twice, as
 * {@code a} in {@code a * a}, receives the sum of the gradients of both uses (the multivariable
 * chain rule). Doubles throughout, so this is also the reference the float32 tensors are held to.
 */
public final class Value {
    private static final Value[] NONE = new Value[0];

    /** The number; parameters are updated in place by gradient descent ({@code p.data -= lr * p.grad}). */
    public double data;
    /** dL/d(this), filled by {@link #backward()} on some L computed from this value. */
    public double grad;
    private final Value[] children;
    private final String op;
    private Runnable backwardStep = () -> { };

    public Value(double data) {
        this(data, "", NONE);
    }

    private Value(double data, String op, Value... children) {
        this.data = data;
        this.op = op;
        this.children = children;
    }

    public Value add(Value other) {
        Value out = new Value(data + other.data, "+", this, other);
        // d(a + b)/da = 1, d(a + b)/db = 1
        out.backwardStep = () -> {
            grad += out.grad;
            other.grad += out.grad;
        };
        return out;
    }

    public Value add(double constant) {
        return add(new Value(constant));
    }

    public Value mul(Value other) {
        Value out = new Value(data * other.data, "*", this, other);
        // d(a * b)/da = b, d(a * b)/db = a
        out.backwardStep = () -> {
            grad += other.data * out.grad;
            other.grad += data * out.grad;
        };
        return out;
    }

    public Value mul(double constant) {
        return mul(new Value(constant));
    }

    /** {@code this^k} for a constant exponent k. */
    public Value pow(double k) {
        Value out = new Value(Math.pow(data, k), "^" + k, this);
        // d(a^k)/da = k a^(k - 1)
        out.backwardStep = () -> grad += k * Math.pow(data, k - 1) * out.grad;
        return out;
    }

    public Value exp() {
        Value out = new Value(Math.exp(data), "exp", this);
        // d(e^a)/da = e^a, which is out.data
        out.backwardStep = () -> grad += out.data * out.grad;
        return out;
    }

    public Value tanh() {
        Value out = new Value(Math.tanh(data), "tanh", this);
        // d tanh(a)/da = 1 - tanh(a)^2
        out.backwardStep = () -> grad += (1 - out.data * out.data) * out.grad;
        return out;
    }

    public Value neg() {
        return mul(-1);
    }

    public Value sub(Value other) {
        return add(other.neg());
    }

    public Value div(Value other) {
        return mul(other.pow(-1));
    }

    /**
     * Fills {@code grad} of every value this one was computed from with d(this)/d(value). The
     * gradients in the graph are reset first, so there is no separate zero-grad step.
     */
    public void backward() {
        List<Value> order = new ArrayList<>();
        topologicalSort(this, Collections.newSetFromMap(new IdentityHashMap<>()), order);
        for (Value v : order) {
            v.grad = 0;
        }
        grad = 1; // dL/dL
        for (int i = order.size() - 1; i >= 0; i--) {
            order.get(i).backwardStep.run();
        }
    }

    /** Depth first: a value is appended after all of its children, so the result comes last. */
    private static void topologicalSort(Value v, Set<Value> visited, List<Value> order) {
        if (visited.add(v)) {
            for (Value child : v.children) {
                topologicalSort(child, visited, order);
            }
            order.add(v);
        }
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Value(data=%.6f, grad=%.6f%s)", data, grad,
                op.isEmpty() ? "" : ", op=" + op);
    }
}
