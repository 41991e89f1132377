package dev.gradbook.nn.train;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;

/**
 * Gradient (activation) checkpointing (Chen et al. 2016, "Training Deep Nets with Sublinear Memory
 * Cost", section 3): run a segment of the network without recording its graph, keep only its
 * input, and run it again, recording, when backward reaches it.
 *
 * <p>Backward needs every intermediate activation of the forward pass, so memory grows with depth.
 * A checkpointed segment holds only its input and output until backward, then recomputes its
 * inside: one extra forward pass of the segment (about a third more compute for the whole step)
 * buys the memory of all its intermediate activations. The gradients are the same numbers, because
 * the recomputation is the same computation.
 *
 * <p>The wrapped layer must compute the same thing twice: no dropout or other randomness inside it
 * (or its random state would have to be replayed), and no in-place changes to its parameters between
 * forward and backward.
 * <pre>{@code
 * Layer block = new ActivationCheckpoint(new Sequential(new Linear(256, 256, rng), new GELU()));
 * }</pre>
 */
public class ActivationCheckpoint extends Layer {
    public final Layer segment;

    public ActivationCheckpoint(Layer segment) {
        this.segment = child("segment", segment);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!Autograd.isGradEnabled()) {
            return segment.forward(x);
        }
        Tensor out;
        try (var ignored = Autograd.noGrad()) {
            out = segment.forward(x);                       // values only: no graph is kept
        }
        // The op needs an input that requires grad to be recorded at all, even when x does not
        // (the first segment): the parameters inside still need their gradients.
        Tensor input = x.requiresGrad() ? x : x.detach().requiresGrad(true);
        Tensor saved = x.detach();
        return Autograd.customOp("checkpoint", out, gradOut -> {
            Tensor again = saved.detach().requiresGrad(true);
            Tensor y;
            try (var recording = Autograd.enableGrad()) {
                y = segment.forward(again);                 // the same forward, now recorded
                y.backward(gradOut);                        // fills the parameters' grads and again.grad
            }
            return new Tensor[] {again.grad()};
        }, input);
    }

    @Override
    protected String describe() {
        return "recompute in backward";
    }
}
