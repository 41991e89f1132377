package dev.gradbook.examples.neural;

/**
 * Per-step losses are noisy (each is one mini-batch); a loss curve is easier to read as the
 * mean of each block of {@code window} consecutive steps, plotted at the block's last step.
 */
public final class StepCurves {
    private StepCurves() {
    }

    /**
     * The means of {@code values[0..window)}, {@code values[window..2 window)}, ...; a partial last
     * block is dropped.
     */
    public static double[] windowMeans(double[] values, int window) {
        double[] out = new double[values.length / window];
        for (int i = 0; i < out.length; i++) {
            for (int s = i * window; s < (i + 1) * window; s++) {
                out[i] += values[s] / window;
            }
        }
        return out;
    }

    /** The step (1-based) at the end of each block: {@code window, 2 window, ...}. */
    public static double[] windowEnds(int steps, int window) {
        double[] out = new double[steps / window];
        for (int i = 0; i < out.length; i++) {
            out[i] = (i + 1.0) * window;
        }
        return out;
    }
}
