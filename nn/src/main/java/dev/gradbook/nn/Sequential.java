package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

import java.util.List;

/** Layers applied one after another: {@code forward(x) = layers[n-1](...layers[0](x))}. Children are named 0, 1, 2, ... */
public class Sequential extends Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    public Sequential(List<? extends Layer> layers) {
        this.layers = new java.util.ArrayList<>(layers);
        for (int i = 0; i < this.layers.size(); i++) {
            child(Integer.toString(i), this.layers.get(i));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Layer layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }

    /** Lets an adapter (LoRA, quantisation) take the place of layer {@code name} ("0", "1", ...). */
    @Override
    protected void onChildReplaced(String name, Module replacement) {
        if (!(replacement instanceof Layer layer)) {
            throw new IllegalArgumentException("Sequential: child '" + name + "' must be replaced by a Layer, got "
                    + replacement.getClass().getSimpleName());
        }
        layers.set(Integer.parseInt(name), layer);
    }

    public Layer get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }
}
