package dev.gradbook.transformer.quant;

import java.util.Arrays;

/**
 * The 4-bit NormalFloat data type, NF4 (Dettmers et al., "QLoRA", NeurIPS 2023, section 3): 16
 * values in {@code [-1, 1]} placed at quantiles of the standard normal distribution, so that
 * normally distributed weights, scaled into {@code [-1, 1]}, fall on every code about equally
 * often. Near zero, where most weights are, the levels are dense; in the tails they are sparse.
 *
 * <p>How the 16 levels are made (the paper's construction, with the constants of its reference
 * implementation, {@code bitsandbytes}' {@code create_normal_map}):
 * <ol>
 *   <li>Zero must be exact, so that zeros (padding, pruned weights) survive quantisation.
 *       That rules out 16 symmetric quantiles; instead the positive half gets 8 levels and the
 *       negative half 7, plus 0.</li>
 *   <li>Positive levels: {@code Q(p)} for 8 probabilities {@code p} evenly spaced from
 *       {@code delta} down towards {@code 1/2} (the 9th point, {@code 1/2} itself, giving 0, is
 *       dropped). Negative levels: {@code -Q(p)} for 7 probabilities evenly spaced from
 *       {@code delta} towards {@code 1/2}, likewise. {@code Q} is the normal quantile function
 *       (inverse CDF).</li>
 *   <li>{@code delta} cannot be 1 ({@code Q(1)} is infinite). The reference uses
 *       {@code delta = 0.9677083}, the midpoint of {@code 1 - 1/(2*15)} and
 *       {@code 1 - 1/(2*16)}: the centres of the outermost of 15 and of 16 equal-probability
 *       bins.</li>
 *   <li>Divide by the largest level, {@code Q(delta)}, so the levels span exactly {@code [-1, 1]}.</li>
 * </ol>
 * The result (see {@link #LEVELS}) is -1, -0.6962, -0.5251, -0.3949, -0.2844, -0.1848, -0.0911,
 * 0, 0.0796, 0.1609, 0.2461, 0.3379, 0.4407, 0.5626, 0.7230, 1.
 */
public final class NormalFloat4 {
    /** The outermost probability used, {@code (1 - 1/30 + 1 - 1/32) / 2}. */
    public static final double DELTA = 0.9677083;

    /** The 16 levels in increasing order; code {@code i} stands for {@code LEVELS[i]}. */
    public static final float[] LEVELS = deriveLevels();

    /** Halfway points between adjacent levels: a value belongs to the level whose interval holds it. */
    private static final float[] MIDPOINTS = midpoints(LEVELS);

    private NormalFloat4() {
    }

    /** The code (0-15) of the level nearest to {@code x}, for {@code x} in {@code [-1, 1]}. */
    public static int encode(float x) {
        int code = 0;
        while (code < MIDPOINTS.length && x > MIDPOINTS[code]) {
            code++;
        }
        return code;
    }

    /** The value that code {@code c} stands for. */
    public static float decode(int c) {
        return LEVELS[c];
    }

    /** The largest distance between two adjacent levels: twice the worst rounding error on {@code [-1, 1]}. */
    public static float largestGap() {
        float gap = 0;
        for (int i = 0; i + 1 < LEVELS.length; i++) {
            gap = Math.max(gap, LEVELS[i + 1] - LEVELS[i]);
        }
        return gap;
    }

    static float[] deriveLevels() {
        double[] levels = new double[16];
        int n = 0;
        for (int i = 0; i < 8; i++) {                 // positive: 8 of 9 points from delta to 1/2
            levels[n++] = normalQuantile(DELTA + i * (0.5 - DELTA) / 8);
        }
        levels[n++] = 0;
        for (int i = 0; i < 7; i++) {                 // negative: 7 of 8 points from delta to 1/2
            levels[n++] = -normalQuantile(DELTA + i * (0.5 - DELTA) / 7);
        }
        double max = normalQuantile(DELTA);
        Arrays.sort(levels);
        float[] out = new float[16];
        for (int i = 0; i < 16; i++) {
            out[i] = (float) (levels[i] / max);
        }
        return out;
    }

    /** The normal quantile {@code Q(p)}: the x with {@code CDF(x) = p}, found by bisection. */
    static double normalQuantile(double p) {
        double lo = -10;
        double hi = 10;
        for (int iter = 0; iter < 100; iter++) {
            double mid = (lo + hi) / 2;
            if (normalCdf(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /**
     * The standard normal CDF, {@code 1/2 + integral from 0 to x of exp(-t^2/2) / sqrt(2 pi) dt},
     * by Simpson's rule on 2,000 intervals: accurate to about 1e-13 for |x| below 10.
     */
    static double normalCdf(double x) {
        int n = 2000;
        double h = x / n;
        double sum = density(0) + density(x);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * density(i * h);
        }
        return 0.5 + sum * h / 3;
    }

    private static double density(double t) {
        return Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    }

    private static float[] midpoints(float[] levels) {
        float[] mid = new float[levels.length - 1];
        for (int i = 0; i < mid.length; i++) {
            mid[i] = (levels[i] + levels[i + 1]) / 2;
        }
        return mid;
    }
}
