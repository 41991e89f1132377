package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * Weight initialisation: how to pick random starting weights so that signals neither vanish
 * nor explode as they pass through many layers.
 *
 * <p>For a weight of shape {@code (out, in, k1, k2, ...)}, {@code fanIn = in * k1 * k2 ...} and
 * {@code fanOut = out * k1 * k2 ...} count the inputs and outputs each weight connects.
 * <ul>
 *   <li>Xavier / Glorot (Glorot and Bengio, AISTATS 2010, eq. 16): keep the variance equal in the
 *       forward and backward pass, {@code Var(w) = 2 / (fanIn + fanOut)} times {@code gain^2}.</li>
 *   <li>Kaiming / He (He et al., ICCV 2015, eq. 10): for ReLU-like units, which zero half their
 *       inputs, {@code Var(w) = gain^2 / fanIn} with {@code gain = sqrt(2 / (1 + a^2))}, where
 *       {@code a} is the negative slope of the leaky ReLU (0 for ReLU).</li>
 * </ul>
 * A uniform distribution on {@code [-b, b]} has variance {@code b^2 / 3}, which gives each
 * uniform bound below. PyTorch's {@code Linear} and {@code Conv} use Kaiming-uniform with
 * {@code a = sqrt(5)}, which works out to {@code b = 1 / sqrt(fanIn)}; {@link #pytorchDefault}.
 */
public final class Init {
    private Init() {
    }

    /** {@code U(-b, b)} with {@code b = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Rng rng, float gain, int... shape) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
        return Tensor.uniform(rng, (float) -bound, (float) bound, shape);
    }

    /** {@code N(0, std^2)} with {@code std = gain * sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Rng rng, float gain, int... shape) {
        double std = gain * Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape)));
        return Tensor.normal(rng, 0f, (float) std, shape);
    }

    /** {@code U(-b, b)} with {@code b = gain * sqrt(3 / fanIn)}, {@code gain = sqrt(2 / (1 + a^2))}. */
    public static Tensor kaimingUniform(Rng rng, float a, int... shape) {
        double bound = leakyReluGain(a) * Math.sqrt(3.0 / fanIn(shape));
        return Tensor.uniform(rng, (float) -bound, (float) bound, shape);
    }

    /** {@code N(0, std^2)} with {@code std = gain / sqrt(fanIn)}, {@code gain = sqrt(2 / (1 + a^2))}. */
    public static Tensor kaimingNormal(Rng rng, float a, int... shape) {
        double std = leakyReluGain(a) / Math.sqrt(fanIn(shape));
        return Tensor.normal(rng, 0f, (float) std, shape);
    }

    /** PyTorch's default for Linear and convolution weights and biases: {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}. */
    public static Tensor pytorchDefault(Rng rng, int fanIn, int... shape) {
        float bound = fanIn > 0 ? (float) (1 / Math.sqrt(fanIn)) : 0f;
        return Tensor.uniform(rng, -bound, bound, shape);
    }

    /** The gain recommended for a leaky ReLU with negative slope {@code a}: {@code sqrt(2 / (1 + a^2))}. */
    public static float leakyReluGain(float a) {
        return (float) Math.sqrt(2.0 / (1 + a * a));
    }

    /** Inputs per output unit: {@code shape[1]} times the receptive field (1 for a vector: its length). */
    public static int fanIn(int... shape) {
        if (shape.length < 2) {
            return shape.length == 1 ? shape[0] : 1;
        }
        return shape[1] * receptiveField(shape);
    }

    /** Outputs per input unit: {@code shape[0]} times the receptive field. */
    public static int fanOut(int... shape) {
        if (shape.length < 2) {
            return shape.length == 1 ? shape[0] : 1;
        }
        return shape[0] * receptiveField(shape);
    }

    private static int receptiveField(int[] shape) {
        int r = 1;
        for (int d = 2; d < shape.length; d++) {
            r *= shape[d];
        }
        return r;
    }
}
