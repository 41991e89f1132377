package dev.gradbook.transformer.lora;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;

/**
 * A small model for the LoRA and quantisation tests: {@code head(norm(block(x)))} where block is
 * two Linears with tanh between. Its modules are named {@code block.fc1}, {@code block.fc2},
 * {@code norm} and {@code head}, and both levels support {@link Module#replaceChild}.
 */
public class TinyNet extends Layer {
    public static final int IN = 5, HIDDEN = 7, OUT = 3;

    public final Block block;
    public final LayerNorm norm;
    public Layer head;

    public static class Block extends Layer {
        public Layer fc1;
        public Layer fc2;

        Block(Rng rng) {
            fc1 = child("fc1", new Linear(IN, HIDDEN, rng));
            fc2 = child("fc2", new Linear(HIDDEN, HIDDEN, false, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).tanh());
        }

        @Override
        protected void onChildReplaced(String name, Module replacement) {
            switch (name) {
                case "fc1" -> fc1 = (Layer) replacement;
                case "fc2" -> fc2 = (Layer) replacement;
                default -> super.onChildReplaced(name, replacement);
            }
        }
    }

    public TinyNet(Rng rng) {
        block = child("block", new Block(rng));
        norm = child("norm", new LayerNorm(HIDDEN));
        head = child("head", new Linear(HIDDEN, OUT, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
        return head.forward(norm.forward(block.forward(x)));
    }

    @Override
    protected void onChildReplaced(String name, Module replacement) {
        if (name.equals("head")) {
            head = (Layer) replacement;
        } else {
            super.onChildReplaced(name, replacement);
        }
    }
}
