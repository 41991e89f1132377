package dev.gradbook.core;

import java.util.Arrays;

/**
 * Elementwise ops: each output element depends on the elements at the same position of the
 * inputs. Binary ops broadcast their inputs ({@link Shape#broadcast}); the gradient of a
 * stretched input is summed back to its shape by {@link Tensor#accumulateGrad}.
 *
 * <p>Each op computes its output, then records its local derivative, with the formula above it.
 */
final class Elementwise {
    private Elementwise() {
    }

    @FunctionalInterface
    interface FloatUnary {
        float apply(float x);
    }

    @FunctionalInterface
    interface FloatBinary {
        float apply(float x, float y);
    }

    @FunctionalInterface
    interface FloatPredicate {
        boolean test(float x, float y);
    }

    // ------------------------------------------------------------ arithmetic

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = zip("add", a, b, (x, y) -> x + y);
        // d(a+b)/da = 1, d(a+b)/db = 1
        return out.recordOp("add", g -> {
            a.accumulateGrad(g);
            b.accumulateGrad(g);
        }, a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = zip("sub", a, b, (x, y) -> x - y);
        // d(a-b)/da = 1, d(a-b)/db = -1
        return out.recordOp("sub", g -> {
            a.accumulateGrad(g);
            if (b.requiresGrad()) {
                b.accumulateOwnGrad(map(g, v -> -v));
            }
        }, a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = zip("mul", a, b, (x, y) -> x * y);
        // d(a*b)/da = b, d(a*b)/db = a
        return out.recordOp("mul", g -> {
            if (a.requiresGrad()) {
                a.accumulateOwnGrad(zip("mul", g, b, (dy, y) -> dy * y));
            }
            if (b.requiresGrad()) {
                b.accumulateOwnGrad(zip("mul", g, a, (dy, x) -> dy * x));
            }
        }, a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = zip("div", a, b, (x, y) -> x / y);
        // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -out/b
        return out.recordOp("div", g -> {
            if (a.requiresGrad()) {
                a.accumulateOwnGrad(zip("div", g, b, (dy, y) -> dy / y));
            }
            if (b.requiresGrad()) {
                Tensor outOverB = zip("div", out, b, (o, y) -> o / y);
                b.accumulateOwnGrad(zip("div", g, outOverB, (dy, q) -> -dy * q));
            }
        }, a, b);
    }

    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = zip("pow", a, b, (x, y) -> (float) Math.pow(x, y));
        return out.recordOp("pow", g -> {
            // d(a^b)/da = b a^(b-1), taken as 0 where b = 0 (a^0 = 1 whatever a is)
            if (a.requiresGrad()) {
                Tensor local = zip("pow", a, b, (x, y) -> y == 0 ? 0f : (float) (y * Math.pow(x, y - 1.0)));
                a.accumulateOwnGrad(zip("pow", g, local, (dy, d) -> dy * d));
            }
            // d(a^b)/db = a^b ln a, taken as 0 where a = 0 and b >= 0 (the limit as a -> 0+); NaN for a < 0
            if (b.requiresGrad()) {
                Tensor local = zip("pow", a, b, (x, y) -> x == 0 && y >= 0 ? 0f
                        : (float) (Math.pow(x, y) * Math.log(x)));
                b.accumulateOwnGrad(zip("pow", g, local, (dy, d) -> dy * d));
            }
        }, a, b);
    }

    static Tensor neg(Tensor a) {
        Tensor out = map(a, x -> -x);
        // d(-a)/da = -1
        return out.recordOp("neg", g -> a.accumulateOwnGrad(map(g, v -> -v)), a);
    }

    static Tensor pow(Tensor a, float p) {
        Tensor out = p == 2f ? map(a, x -> x * x) : map(a, x -> (float) Math.pow(x, p));
        // d(a^p)/da = p * a^(p-1); for p = 0 that is 0 everywhere (not 0 * 0^-1 = NaN at a = 0)
        return out.recordOp("pow", g -> a.accumulateGrad(p == 0f ? Tensor.zeros(a.shape()) : zip("pow", g, a,
                (dy, x) -> dy * p * (p == 2f ? x : (float) Math.pow(x, p - 1)))), a);
    }

    // ------------------------------------------------------------ smooth functions

    static Tensor exp(Tensor a) {
        Tensor out = map(a, x -> (float) Math.exp(x));
        // d(e^a)/da = e^a, which is the output itself
        return out.recordOp("exp", g -> a.accumulateOwnGrad(zip("exp", g, out, (dy, y) -> dy * y)), a);
    }

    static Tensor log(Tensor a) {
        Tensor out = map(a, x -> (float) Math.log(x));
        // d(ln a)/da = 1/a
        return out.recordOp("log", g -> a.accumulateOwnGrad(zip("log", g, a, (dy, x) -> dy / x)), a);
    }

    static Tensor sqrt(Tensor a) {
        Tensor out = map(a, x -> (float) Math.sqrt(x));
        // d(sqrt a)/da = 1 / (2 sqrt a)
        return out.recordOp("sqrt", g -> a.accumulateOwnGrad(zip("sqrt", g, out, (dy, y) -> dy * 0.5f / y)), a);
    }

    static Tensor abs(Tensor a) {
        Tensor out = map(a, Math::abs);
        // d|a|/da = sign(a) (0 at 0, the subgradient PyTorch picks)
        return out.recordOp("abs", g -> a.accumulateOwnGrad(zip("abs", g, a, (dy, x) -> dy * Math.signum(x))), a);
    }

    static Tensor clamp(Tensor a, float min, float max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        Tensor out = map(a, x -> x < min ? min : (x > max ? max : x));
        // d clamp(a)/da = 1 inside [min, max], 0 where the value was clipped
        return out.recordOp("clamp", g -> a.accumulateOwnGrad(zip("clamp", g, a,
                (dy, x) -> x >= min && x <= max ? dy : 0f)), a);
    }

    static Tensor sin(Tensor a) {
        Tensor out = map(a, x -> (float) Math.sin(x));
        // d(sin a)/da = cos a
        return out.recordOp("sin", g -> a.accumulateOwnGrad(zip("sin", g, a, (dy, x) -> dy * (float) Math.cos(x))), a);
    }

    static Tensor cos(Tensor a) {
        Tensor out = map(a, x -> (float) Math.cos(x));
        // d(cos a)/da = -sin a
        return out.recordOp("cos", g -> a.accumulateOwnGrad(zip("cos", g, a, (dy, x) -> -dy * (float) Math.sin(x))), a);
    }

    // ------------------------------------------------------------ activations

    static Tensor tanh(Tensor a) {
        Tensor out = map(a, Elementwise::tanh);
        // d(tanh a)/da = 1 - tanh(a)^2
        return out.recordOp("tanh", g -> a.accumulateOwnGrad(zip("tanh", g, out, (dy, y) -> dy * (1 - y * y))), a);
    }

    static Tensor sigmoid(Tensor a) {
        Tensor out = map(a, Elementwise::sigmoid);
        // d(sigma(a))/da = sigma(a) (1 - sigma(a))
        return out.recordOp("sigmoid", g -> a.accumulateOwnGrad(zip("sigmoid", g, out, (dy, y) -> dy * y * (1 - y))), a);
    }

    static Tensor relu(Tensor a) {
        Tensor out = map(a, x -> Math.max(x, 0f));   // NaN stays NaN
        // d relu(a)/da = 1 where a > 0, else 0
        return out.recordOp("relu", g -> a.accumulateOwnGrad(zip("relu", g, a, (dy, x) -> x > 0 ? dy : 0f)), a);
    }

    static Tensor leakyRelu(Tensor a, float slope) {
        Tensor out = map(a, x -> x > 0 ? x : slope * x);
        // d/da = 1 where a > 0, else the slope
        return out.recordOp("leakyRelu", g -> a.accumulateOwnGrad(zip("leakyRelu", g, a,
                (dy, x) -> x > 0 ? dy : slope * dy)), a);
    }

    /**
     * GELU (Hendrycks and Gimpel, 2016): {@code x * Phi(x)}, where Phi is the standard normal CDF.
     * Its derivative is {@code Phi(x) + x * phi(x)}, phi being the normal density.
     */
    static Tensor gelu(Tensor a) {
        Tensor out = map(a, x -> (float) (x * normalCdf(x)));
        return out.recordOp("gelu", g -> a.accumulateOwnGrad(zip("gelu", g, a,
                (dy, x) -> (float) (dy * (normalCdf(x) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI))))), a);
    }

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    /**
     * GELU as GPT-2 computes it: {@code 0.5 x (1 + tanh(u))} with
     * {@code u = sqrt(2/pi) (x + 0.044715 x^3)}. Derivative:
     * {@code 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) du/dx}, {@code du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)}.
     */
    static Tensor geluTanh(Tensor a) {
        Tensor out = map(a, x -> (float) (0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))));
        return out.recordOp("geluTanh", g -> a.accumulateOwnGrad(zip("geluTanh", g, a, (dy, x) -> {
            double t = Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x));
            double du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
            return (float) (dy * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du));
        })), a);
    }

    /** SiLU, also called swish: {@code x * sigma(x)}; derivative {@code sigma(x) (1 + x (1 - sigma(x)))}. */
    static Tensor silu(Tensor a) {
        Tensor out = map(a, x -> x * sigmoid(x));
        return out.recordOp("silu", g -> a.accumulateOwnGrad(zip("silu", g, a, (dy, x) -> {
            float s = sigmoid(x);
            return dy * s * (1 + x * (1 - s));
        })), a);
    }

    // ------------------------------------------------------------ choosing between inputs

    static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = zip("maximum", a, b, (x, y) -> x >= y || x != x ? x : y);
        // the gradient goes to the larger input; on a tie it is split evenly
        return out.recordOp("maximum", g -> routeByComparison(g, a, b, 1f), a, b);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = zip("minimum", a, b, (x, y) -> x <= y || x != x ? x : y);
        return out.recordOp("minimum", g -> routeByComparison(g, a, b, -1f), a, b);
    }

    /** Sends {@code g} to whichever of a, b won (sign 1: larger, -1: smaller); halves on ties. */
    private static void routeByComparison(Tensor g, Tensor a, Tensor b, float sign) {
        Tensor shareA = zip("maximum", a, b, (x, y) -> sign * (x - y) > 0 ? 1f : (x == y ? 0.5f : 0f));
        if (a.requiresGrad()) {
            a.accumulateOwnGrad(zip("maximum", g, shareA, (dy, s) -> dy * s));
        }
        if (b.requiresGrad()) {
            b.accumulateOwnGrad(zip("maximum", g, shareA, (dy, s) -> dy * (1 - s)));
        }
    }

    static Tensor compare(String op, Tensor a, Tensor b, FloatPredicate test) {
        // a mask is a constant: comparisons have no gradient
        return zip(op, a, b, (x, y) -> test.test(x, y) ? 1f : 0f);
    }

    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), a.shape()), b.shape());
        Tensor m = broadcastTo(mask, shape);
        float[] md = m.data();
        float[] ad = broadcastTo(a, shape).data();
        float[] bd = broadcastTo(b, shape).data();
        float[] o = StepArena.floats(md.length);
        for (int i = 0; i < o.length; i++) {
            o[i] = md[i] != 0 ? ad[i] : bd[i];
        }
        Tensor out = new Tensor(o, shape);
        // d/da = 1 where the mask is set, d/db = 1 elsewhere
        return out.recordOp("where", g -> {
            if (a.requiresGrad()) {
                a.accumulateOwnGrad(zip("where", g, m, (dy, k) -> k != 0 ? dy : 0f));
            }
            if (b.requiresGrad()) {
                b.accumulateOwnGrad(zip("where", g, m, (dy, k) -> k != 0 ? 0f : dy));
            }
        }, a, b);
    }

    static Tensor maskedFill(Tensor a, Tensor mask, float value) {
        int[] shape = Shape.broadcast("maskedFill", a.shape(), mask.shape());
        if (!Arrays.equals(shape, a.shape())) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + Shape.format(mask.shape())
                    + " does not broadcast to the tensor's shape " + Shape.format(a.shape()));
        }
        Tensor out = zip("maskedFill", a, mask, (x, k) -> k != 0 ? value : x);
        // filled positions are constants: their gradient is 0. The fill value is listed as an input
        // (a constant) so that anomaly detection accepts a deliberate -inf, as attention masks use.
        return out.recordOp("maskedFill", g -> a.accumulateOwnGrad(zip("maskedFill", g, mask,
                (dy, k) -> k != 0 ? 0f : dy)), a, Tensor.scalar(value));
    }

    // ------------------------------------------------------------ the loops (no autograd)

    /**
     * {@code tanh x = (e^2x - 1) / (e^2x + 1)}, through the JIT's fast {@code exp} ({@code Math.tanh}
     * has no intrinsic on JDK 17 and costs ten times more). Computed in double, so the
     * cancellation in {@code e^2x - 1} near 0 stays far below float precision.
     */
    static float tanh(float x) {
        if (x > 10f || x < -10f) {
            return Math.signum(x);      // |tanh x - sign x| < 5e-9 here
        }
        double e = Math.exp(2.0 * x);
        return (float) ((e - 1) / (e + 1));
    }

    static float sigmoid(float x) {
        // written so that exp never overflows: for x < 0 use e^x / (1 + e^x)
        if (x >= 0) {
            return (float) (1 / (1 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }

    /**
     * The standard normal CDF, {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}, with erf from the
     * rational approximation of W. J. Cody (1969) as given by Numerical Recipes' erfc
     * (fractional error below 1.2e-7, enough for float).
     */
    static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        double cdfOfAbs = 1 - 0.5 * erfc;
        return x >= 0 ? cdfOfAbs : 1 - cdfOfAbs;
    }

    /** Applies {@code f} to every element. */
    static Tensor map(Tensor a, FloatUnary f) {
        float[] x = a.data();
        float[] out = StepArena.floats(x.length);
        mapLoop(x, out, f);
        return new Tensor(out, a.shape());
    }

    /*
     * The loops below are deliberately tiny methods. The JIT inlines them into each op, where
     * it knows exactly which lambda f is, and then inlines f itself: each op gets its own loop
     * with the arithmetic written in place, as if we had written one loop per op by hand.
     */
    private static void mapLoop(float[] x, float[] out, FloatUnary f) {
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(x[i]);
        }
    }

    private static void zipLoop(float[] x, float[] y, float[] out, FloatBinary f) {
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(x[i], y[i]);
        }
    }

    private static void zipScalarRight(float[] x, float v, float[] out, FloatBinary f) {
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(x[i], v);
        }
    }

    private static void zipRows(float[] x, float[] y, float[] out, FloatBinary f) {
        int n = y.length;
        for (int r = 0; r < out.length; r += n) {
            for (int j = 0; j < n; j++) {
                out[r + j] = f.apply(x[r + j], y[j]);
            }
        }
    }

    private static void zipColumns(float[] x, float[] y, float[] out, FloatBinary f) {
        int n = out.length / y.length;
        for (int r = 0; r < y.length; r++) {
            float v = y[r];
            for (int j = 0; j < n; j++) {
                out[r * n + j] = f.apply(x[r * n + j], v);
            }
        }
    }

    /** Whether {@code small}, leading ones aside, is the trailing part of {@code big}: a row repeated. */
    private static boolean repeatsAlongRows(int[] small, int[] big) {
        int lead = 0;
        while (lead < small.length && small[lead] == 1) {
            lead++;
        }
        int len = small.length - lead;
        if (len == 0 || len > big.length) {
            return false;
        }
        return Arrays.equals(small, lead, small.length, big, big.length - len, big.length);
    }

    /** Whether {@code small} is {@code big} with its last size replaced by 1: a value per row. */
    private static boolean repeatsAlongColumns(int[] small, int[] big) {
        return small.length == big.length && small.length > 0 && small[small.length - 1] == 1
                && Arrays.equals(small, 0, small.length - 1, big, 0, big.length - 1);
    }

    private static void zipScalarLeft(float v, float[] y, float[] out, FloatBinary f) {
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(v, y[i]);
        }
    }

    /** Applies {@code f} to matching elements of {@code a} and {@code b}, broadcasting them. */
    static Tensor zip(String op, Tensor a, Tensor b, FloatBinary f) {
        int[] as = a.shape();
        int[] bs = b.shape();
        float[] x = a.data();
        float[] y = b.data();
        if (Arrays.equals(as, bs)) {
            float[] out = StepArena.floats(x.length);
            zipLoop(x, y, out, f);
            return new Tensor(out, as);
        }
        int[] shape = Shape.broadcast(op, as, bs);
        float[] out = StepArena.floats(Shape.numel(shape));
        if (y.length == 1 && out.length == x.length) {
            zipScalarRight(x, y[0], out, f);
        } else if (x.length == 1 && out.length == y.length) {
            zipScalarLeft(x[0], y, out, f);
        } else if (out.length == x.length && y.length > 0 && repeatsAlongRows(bs, as)) {
            zipRows(x, y, out, f);            // (..., n) with (n): a bias added to every row
        } else if (out.length == x.length && y.length > 0 && repeatsAlongColumns(bs, as)) {
            zipColumns(x, y, out, f);         // (..., n) with (..., 1): one value per row
        } else if (out.length > 0) {
            broadcastLoop(x, Shape.broadcastStrides(as, shape), y, Shape.broadcastStrides(bs, shape), out, shape, f);
        }
        return new Tensor(out, shape);
    }

    /**
     * The general case: walk the output in row-major order, one row (last dimension) at a time,
     * with each input's row start from the broadcast strides (a stride of 0 re-reads an element).
     */
    private static void broadcastLoop(float[] x, int[] sx, float[] y, int[] sy, float[] out, int[] shape,
                                      FloatBinary f) {
        int rank = shape.length;
        int last = shape[rank - 1];
        int lx = sx[rank - 1];
        int ly = sy[rank - 1];
        int[] rowX = Shape.offsets(shape, sx, rank - 1);
        int[] rowY = Shape.offsets(shape, sy, rank - 1);
        for (int r = 0; r < rowX.length; r++) {
            int o = r * last;
            int ox = rowX[r];
            int oy = rowY[r];
            for (int j = 0; j < last; j++) {
                out[o + j] = f.apply(x[ox + j * lx], y[oy + j * ly]);
            }
        }
    }

    /** A copy of {@code a} stretched to {@code shape} (no autograd). */
    static Tensor broadcastTo(Tensor a, int[] shape) {
        if (Arrays.equals(a.shape(), shape)) {
            return a;
        }
        return zip("expand", Tensor.zeros(shape), a, (zero, x) -> x);
    }
}
