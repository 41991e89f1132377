package dev.gradbook.nn.loss;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * The standard losses, under PyTorch's names ({@code torch.nn.functional.mse_loss} is
 * {@code Losses.mse}, {@code cross_entropy} is {@code Losses.crossEntropy}, ...).
 *
 * <p>Every loss is composed from core tensor ops, so autograd derives its gradient: the
 * formulas below are the whole story (the one exception, binary cross-entropy's clamped log,
 * is a small custom op with its own gradient check). Each takes an optional {@link Reduction} (default
 * {@code MEAN}); {@code x} is the prediction, {@code y} the target, both of the same shape
 * unless said otherwise (no silent broadcasting: an {@code (N, 1)} prediction against an
 * {@code (N)} target is an error, not an {@code (N, N)} loss).
 *
 * <p>The classification losses ({@link #crossEntropy}, {@link #nll}) take class indices as a
 * float tensor of whole numbers; their shared core is the package-private {@code ClassIndexLoss}.
 */
public final class Losses {
    /** Where PyTorch clamps {@code ln p} in binary cross-entropy, so that {@code p = 0} costs 100, not infinity. */
    private static final float LOG_FLOOR = -100f;
    /** The smallest denominator in the derivative of the clamped log (PyTorch's BCE backward uses 1e-12 too). */
    private static final float LOG_GRAD_EPS = 1e-12f;

    private Losses() {
    }

    // ------------------------------------------------------------ regression

    /** Mean squared error: {@code mean((x - y)^2)}. */
    public static Tensor mse(Tensor input, Tensor target) {
        return mse(input, target, Reduction.MEAN);
    }

    /** Squared error {@code (x - y)^2}, reduced by {@code reduction}. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("mse", input, target);
        return reduction.apply(input.sub(target).square());
    }

    /** Mean absolute error: {@code mean(|x - y|)}. */
    public static Tensor l1(Tensor input, Tensor target) {
        return l1(input, target, Reduction.MEAN);
    }

    /** Absolute error {@code |x - y|}, reduced by {@code reduction}. */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("l1", input, target);
        return reduction.apply(input.sub(target).abs());
    }

    /** The Huber loss with threshold {@code delta}, averaged. */
    public static Tensor huber(Tensor input, Tensor target, float delta) {
        return huber(input, target, delta, Reduction.MEAN);
    }

    /**
     * The Huber loss (Huber 1964, "Robust Estimation of a Location Parameter"): quadratic near
     * zero, linear far away, so outliers pull with a bounded force. With {@code d = x - y}:
     * <pre>
     *   huber(d) = d^2 / 2                   if |d| &lt;= delta
     *            = delta * (|d| - delta / 2)   otherwise
     * </pre>
     * Both pieces meet with equal value and slope ({@code delta}) at {@code |d| = delta}.
     */
    public static Tensor huber(Tensor input, Tensor target, float delta, Reduction reduction) {
        requireSameShape("huber", input, target);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber: delta must be > 0, got " + delta);
        }
        Tensor d = input.sub(target);
        Tensor absD = d.abs();
        Tensor quadratic = d.square().mul(0.5f);
        Tensor linear = absD.sub(0.5f * delta).mul(delta);
        return reduction.apply(Tensor.where(absD.le(Tensor.scalar(delta)), quadratic, linear));
    }

    /**
     * PyTorch's {@code smooth_l1_loss} (Girshick, "Fast R-CNN", 2015, equation 3, there with
     * {@code beta = 1}): with {@code d = x - y},
     * <pre>
     *   smoothL1(d) = d^2 / (2 beta)     if |d| &lt; beta
     *               = |d| - beta / 2     otherwise
     * </pre>
     * It is the Huber loss divided by its threshold, {@code smoothL1_beta = huber_beta / beta}:
     * the same shape, but the far part has slope 1 (an L1 loss) whatever beta is, where Huber's
     * slope is delta. {@code beta = 0} is the plain L1 loss.
     */
    public static Tensor smoothL1(Tensor input, Tensor target, float beta, Reduction reduction) {
        requireSameShape("smoothL1", input, target);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1: beta must be >= 0, got " + beta);
        }
        if (beta == 0) {
            return l1(input, target, reduction);
        }
        return huber(input, target, beta, reduction).div(beta);
    }

    // ------------------------------------------------------------ binary classification

    /** Binary cross-entropy on probabilities, averaged. */
    public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor target) {
        return binaryCrossEntropy(probabilities, target, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of probabilities {@code p} in [0, 1] against targets {@code y} in [0, 1]:
     * <pre>
     *   bce(p, y) = -(y ln p + (1 - y) ln(1 - p)),   each ln clamped below at -100
     * </pre>
     * The clamp (PyTorch's) keeps a saturated {@code p = 0} or {@code 1} finite. Prefer
     * {@link #binaryCrossEntropyWithLogits} on the logits: it never needs the clamp.
     */
    public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor target, Reduction reduction) {
        requireSameShape("binaryCrossEntropy", probabilities, target);
        for (float p : probabilities.data()) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("binaryCrossEntropy: inputs must be probabilities in [0, 1], found "
                        + p + " (for raw scores use binaryCrossEntropyWithLogits)");
            }
        }
        Tensor logP = clampedLog(probabilities);
        Tensor logNotP = clampedLog(probabilities.neg().add(1f));
        Tensor notY = target.neg().add(1f);
        return reduction.apply(target.mul(logP).add(notY.mul(logNotP)).neg());
    }

    /**
     * {@code max(ln p, -100)}. Its derivative is taken as {@code 1 / max(p, 1e-12)} everywhere,
     * the way PyTorch's BCE backward bounds its denominator, so that a saturated probability
     * still gets a large finite gradient rather than 0 or NaN. Gradient-checked in the tests.
     */
    private static Tensor clampedLog(Tensor p) {
        float[] x = p.data();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max((float) Math.log(x[i]), LOG_FLOOR);
        }
        // d max(ln p, -100)/dp ~ 1 / max(p, eps)
        return Autograd.customOp("clampedLog", Tensor.wrap(y, p.shape()), g -> {
            float[] gd = g.data();
            float[] dx = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                dx[i] = gd[i] / Math.max(x[i], LOG_GRAD_EPS);
            }
            return new Tensor[] {Tensor.wrap(dx, p.shape())};
        }, p);
    }

    /** Binary cross-entropy on logits, averaged. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        return binaryCrossEntropyWithLogits(logits, target, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of {@code sigmoid(x)} against {@code y}, computed from the logit
     * {@code x} without ever forming {@code sigmoid(x)}:
     * <pre>
     *   -(y ln s(x) + (1 - y) ln(1 - s(x)))  =  max(x, 0) - x y + ln(1 + exp(-|x|))
     * </pre>
     * (use {@code ln s(x) = -ln(1 + e^-x)} and {@code ln(1 - s(x)) = -x - ln(1 + e^-x)}, then take
     * the branch whose exponent is not positive). {@code exp(-|x|)} is at most 1, so nothing
     * overflows at any {@code x}; the derivative is {@code s(x) - y}. At {@code x = 0}, where
     * max and |x| have kinks, max sends half the gradient each way and |x| none, which
     * together give the true slope {@code 1/2 - y}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        requireSameShape("binaryCrossEntropyWithLogits", logits, target);
        Tensor softplusTail = logits.abs().neg().exp().add(1f).log(); // ln(1 + exp(-|x|))
        Tensor loss = logits.maximum(Tensor.scalar(0f)).sub(logits.mul(target)).add(softplusTail);
        return reduction.apply(loss);
    }

    // ------------------------------------------------------------ multi-class

    /** Cross-entropy with PyTorch's defaults (mean over targets, no ignore, no smoothing). */
    public static Tensor crossEntropy(Tensor logits, IntTensor target) {
        return crossEntropy(logits, target, CrossEntropyOptions.DEFAULT);
    }

    /**
     * Cross-entropy between the softmax of {@code logits} and class indices: with
     * {@code ln p = logSoftmax(x)} over the class dimension and smoothing {@code epsilon},
     * <pre>
     *   loss_n = -(1 - epsilon) ln p[n, y_n]  -  (epsilon / C) sum_c ln p[n, c]
     * </pre>
     * Shapes: logits {@code (N, C)} with target {@code (N)}, or {@code (N, C, d1, ...)} with target
     * {@code (N, d1, ...)} (one class per position), or {@code (C)} with a one-element target.
     * Targets equal to {@code options.ignoreIndex()} are dropped; {@code MEAN} divides by the
     * number kept (NaN if none, as in PyTorch); {@code NONE} returns the target's shape with 0
     * at ignored positions.
     */
    public static Tensor crossEntropy(Tensor logits, IntTensor target, CrossEntropyOptions options) {
        ClassIndexLoss.checkShapes("crossEntropy", logits, target);
        return ClassIndexLoss.negativeLogLikelihood("crossEntropy", logits.logSoftmax(logits.dim() == 1 ? 0 : 1),
                target, options);
    }

    /** Negative log-likelihood with PyTorch's defaults: {@code -mean_n logProbs[n, y_n]}. */
    public static Tensor nll(Tensor logProbs, IntTensor target) {
        return nll(logProbs, target, Reduction.MEAN, CrossEntropyOptions.DEFAULT.ignoreIndex());
    }

    /**
     * Negative log-likelihood of class indices under log-probabilities (PyTorch's
     * {@code nll_loss}): {@code loss_n = -logProbs[n, y_n]}, with the shapes, ignore index and
     * reductions of {@link #crossEntropy}. {@code crossEntropy(x, y) == nll(logSoftmax(x), y)}.
     */
    public static Tensor nll(Tensor logProbs, IntTensor target, Reduction reduction, int ignoreIndex) {
        ClassIndexLoss.checkShapes("nll", logProbs, target);
        return ClassIndexLoss.negativeLogLikelihood("nll", logProbs, target,
                new CrossEntropyOptions(reduction, ignoreIndex, 0f));
    }

    // ------------------------------------------------------------ distributions

    /**
     * The Kullback-Leibler divergence {@code KL(P || Q)} in PyTorch's {@code kl_div} convention:
     * {@code input} holds {@code ln Q} (log-probabilities, e.g. a logSoftmax), {@code target}
     * holds {@code P} (probabilities). Pointwise
     * <pre>
     *   kl = P (ln P - ln Q),   taken as 0 where P = 0   (since p ln p -> 0)
     * </pre>
     * {@code MEAN} averages over every element, which is not the divergence per sample: for that
     * use {@link #klDivBatchMean}.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("klDiv", input, target);
        return reduction.apply(klPointwise(input, target));
    }

    /** {@code sum(kl) / N} for inputs of shape {@code (N, ...)}: the mean divergence per sample (PyTorch's "batchmean"). */
    public static Tensor klDivBatchMean(Tensor input, Tensor target) {
        requireSameShape("klDivBatchMean", input, target);
        int n = input.dim() == 0 ? 1 : input.size(0);
        return klPointwise(input, target).sum().div(n);
    }

    private static Tensor klPointwise(Tensor logQ, Tensor p) {
        Tensor positive = p.gt(0f);
        Tensor safeP = Tensor.where(positive, p, Tensor.scalar(1f)); // ln 1 = 0 where P = 0
        Tensor pLogP = Tensor.where(positive, p.mul(safeP.log()), Tensor.scalar(0f));
        return pLogP.sub(p.mul(logQ));
    }

    // ------------------------------------------------------------ checks

    static void requireSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Shape.format(input.shape())
                    + " and target shape " + Shape.format(target.shape()) + " must be equal");
        }
    }
}
