package dev.gradbook.nn.attribution;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient-based attributions: how much each input feature contributes to one output of a model,
 * {@code f(x) = model(x)[0, target]} (a logit, for a classifier), for a single input {@code x} of
 * shape {@code (1, ...)}. Each returns a tensor shaped like x.
 * <ul>
 *   <li>Saliency (Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks", 2014,
 *       section 3.1): {@code |∂f/∂x|}, how sensitive the output is to each feature.</li>
 *   <li>Gradient x input (Shrikumar et al., "Learning Important Features Through Propagating
 *       Activation Differences", 2017, section 2): {@code x ⊙ ∂f/∂x}, exact for a linear f.</li>
 *   <li>Integrated gradients (Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep
 *       Networks", ICML 2017, section 3, eq. 1): the gradient averaged along the straight path
 *       from a baseline x' to x,
 *       <pre>
 *         IG_i(x) = (x_i - x'_i) · ∫_0^1 ∂f(x' + a (x - x'))/∂x_i da
 *                 ~ (x_i - x'_i) · (1/m) sum_(k=1..m) ∂f(x' + ((k - 1/2)/m) (x - x'))/∂x_i   (midpoint rule)
 *       </pre>
 *       It satisfies completeness (section 3, proposition 1): {@code sum_i IG_i = f(x) - f(x')},
 *       up to the error of the m-point rule; {@link #completenessError} measures it.</li>
 * </ul>
 * The model is put in evaluation mode by the caller; gradients of its parameters are left zeroed.
 */
public final class Attribution {
    private Attribution() {
    }

    /** {@code |∂f/∂x|}. */
    public static Tensor saliency(Layer model, Tensor x, int target) {
        return gradient(model, x, target).abs();
    }

    /** {@code x ⊙ ∂f/∂x}. */
    public static Tensor gradientTimesInput(Layer model, Tensor x, int target) {
        return x.mul(gradient(model, x, target));
    }

    /** Integrated gradients with {@code steps} midpoints along the path from {@code baseline} to {@code x}. */
    public static Tensor integratedGradients(Layer model, Tensor x, Tensor baseline, int target, int steps) {
        check(x, baseline);
        if (steps < 1) {
            throw new IllegalArgumentException("integratedGradients: steps must be >= 1, got " + steps);
        }
        Tensor diff = x.sub(baseline).detach();                                            // (1, ...)
        List<Tensor> path = new ArrayList<>(steps);
        for (int k = 1; k <= steps; k++) {
            path.add(baseline.add(diff.mul((k - 0.5f) / steps)).detach());                  // x' + a (x - x')
        }
        Tensor points = Tensor.cat(path, 0).requiresGrad(true);                            // (m, ...)
        model.zeroGrad();
        model.forward(points).select(1, target).sum().backward();
        model.zeroGrad();
        Tensor meanGrad = points.grad().mean(0, true);                                     // (1, ...)
        return diff.mul(meanGrad);
    }

    /** {@code f(x) = model(x)[0, target]}, without building a graph. */
    public static double output(Layer model, Tensor x, int target) {
        try (var noGrad = dev.gradbook.core.Autograd.noGrad()) {
            return model.forward(x).get(0, target);
        }
    }

    /** {@code |sum IG - (f(x) - f(x'))| / |f(x) - f(x')|}: 0 for exact completeness. */
    public static double completenessError(Layer model, Tensor x, Tensor baseline, int target, Tensor attributions) {
        double expected = output(model, x, target) - output(model, baseline, target);
        double sum = 0;
        for (float a : attributions.data()) {
            sum += a;
        }
        return Math.abs(sum - expected) / Math.max(1e-12, Math.abs(expected));
    }

    private static Tensor gradient(Layer model, Tensor x, int target) {
        check(x, x);
        Tensor input = x.detach().copy().requiresGrad(true);
        model.zeroGrad();
        Tensor out = model.forward(input);
        if (target < 0 || target >= out.size(1)) {
            throw new IllegalArgumentException("Attribution: target " + target + " is not one of the "
                    + out.size(1) + " outputs");
        }
        out.select(1, target).sum().backward();
        model.zeroGrad();
        return input.grad();
    }

    private static void check(Tensor x, Tensor baseline) {
        if (x.dim() < 2 || x.size(0) != 1 || !java.util.Arrays.equals(x.shape(), baseline.shape())) {
            throw new IllegalArgumentException("Attribution: expects one input (1, ...) and a baseline of the same shape, got "
                    + Shape.format(x.shape()) + " and " + Shape.format(baseline.shape()));
        }
    }
}
