package dev.gradbook.examples.neural.micrograd;

import dev.gradbook.core.Rng;
import dev.gradbook.nn.Linear;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-layer perceptron built from {@link Value}s, one scalar at a time (micrograd's
 * {@code nn.py}): a neuron computes {@code tanh(sum_i w_i x_i + b)}, a layer is a list of
 * neurons reading the same inputs, and the network is layers in a row, the last one linear.
 * Slow (one object per multiply) but with nothing hidden.
 */
public final class ScalarMlp {
    /** One unit: weights for each input and a bias. */
    static final class Neuron {
        final Value[] w;
        final Value b;
        final boolean nonlinear;

        Neuron(double[] weights, double bias, boolean nonlinear) {
            this.w = new Value[weights.length];
            for (int i = 0; i < weights.length; i++) {
                w[i] = new Value(weights[i]);
            }
            this.b = new Value(bias);
            this.nonlinear = nonlinear;
        }

        Value apply(Value[] x) {
            Value sum = b;
            for (int i = 0; i < w.length; i++) {
                sum = sum.add(w[i].mul(x[i]));
            }
            return nonlinear ? sum.tanh() : sum;
        }
    }

    private final List<Neuron[]> layers = new ArrayList<>();

    /** Sizes {in, hidden..., out}, weights drawn uniformly from [-1, 1] as micrograd does. */
    public ScalarMlp(int[] sizes, Rng rng) {
        for (int l = 0; l + 1 < sizes.length; l++) {
            Neuron[] layer = new Neuron[sizes[l + 1]];
            for (int j = 0; j < layer.length; j++) {
                double[] w = new double[sizes[l]];
                for (int i = 0; i < w.length; i++) {
                    w[i] = 2 * rng.nextDouble() - 1;
                }
                layer[j] = new Neuron(w, 2 * rng.nextDouble() - 1, l + 2 < sizes.length);
            }
            layers.add(layer);
        }
    }

    /** The same numbers as a stack of library {@link Linear} layers with tanh between them: row j of W is neuron j. */
    public ScalarMlp(List<Linear> linears) {
        for (int l = 0; l < linears.size(); l++) {
            Linear linear = linears.get(l);
            Neuron[] layer = new Neuron[linear.outFeatures];
            for (int j = 0; j < layer.length; j++) {
                double[] w = new double[linear.inFeatures];
                for (int i = 0; i < w.length; i++) {
                    w[i] = linear.weight.get(j, i);
                }
                layer[j] = new Neuron(w, linear.bias.get(j), l + 1 < linears.size());
            }
            layers.add(layer);
        }
    }

    /** The network's outputs for one input vector. */
    public Value[] apply(Value[] x) {
        for (Neuron[] layer : layers) {
            Value[] next = new Value[layer.length];
            for (int j = 0; j < layer.length; j++) {
                next[j] = layer[j].apply(x);
            }
            x = next;
        }
        return x;
    }

    /** Every weight and bias, layer by layer, neuron by neuron (weights before the bias). */
    public List<Value> parameters() {
        List<Value> out = new ArrayList<>();
        for (Neuron[] layer : layers) {
            for (Neuron n : layer) {
                out.addAll(List.of(n.w));
                out.add(n.b);
            }
        }
        return out;
    }

    /** One step of gradient descent: {@code p -= lr * dL/dp} for every parameter. */
    public void step(double lr) {
        for (Value p : parameters()) {
            p.data -= lr * p.grad;
        }
    }
}
