package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * The 2-D test of mode collapse (Metz et al., "Unrolled Generative Adversarial Networks", ICLR
 * 2017, section 3.1): eight Gaussians of std {@link #STD} on a circle of radius 2. A generator
 * that has collapsed puts its samples on a few of them. Two numbers measure a set of samples:
 * how many of the eight modes get at least 1% of the samples within three standard deviations
 * of their centre ("covered"), and the fraction of all samples that are that close to some
 * centre ("high quality").
 */
final class EightGaussians {
    static final int MODES = 8;
    static final double RADIUS = 2;
    static final double STD = 0.05;

    private EightGaussians() {
    }

    /** {@code n} points {@code (n, 2)}, each from a mode drawn uniformly. */
    static Tensor sample(Rng rng, int n) {
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * rng.nextInt(MODES) / MODES;
            out[2 * i] = (float) (RADIUS * Math.cos(angle) + STD * rng.nextGaussian());
            out[2 * i + 1] = (float) (RADIUS * Math.sin(angle) + STD * rng.nextGaussian());
        }
        return Tensor.wrap(out, n, 2);
    }

    /** Modes covered and the high-quality fraction of samples {@code (n, 2)}. */
    record Coverage(int modes, double highQuality) {
    }

    /** The mean of {@code | ||x|| - RADIUS |}: how far samples are from the circle the modes lie on. */
    static double ringError(Tensor samples) {
        double sum = 0;
        for (int i = 0; i < samples.size(0); i++) {
            sum += Math.abs(Math.hypot(samples.get(i, 0), samples.get(i, 1)) - RADIUS);
        }
        return sum / samples.size(0);
    }

    static Coverage coverage(Tensor samples) {
        int n = samples.size(0);
        int[] near = new int[MODES];
        int good = 0;
        for (int i = 0; i < n; i++) {
            double x = samples.get(i, 0);
            double y = samples.get(i, 1);
            for (int m = 0; m < MODES; m++) {
                double angle = 2 * Math.PI * m / MODES;
                double dx = x - RADIUS * Math.cos(angle);
                double dy = y - RADIUS * Math.sin(angle);
                if (Math.sqrt(dx * dx + dy * dy) < 3 * STD) {
                    near[m]++;
                    good++;
                    break;
                }
            }
        }
        int covered = 0;
        for (int m = 0; m < MODES; m++) {
            covered += near[m] >= 0.01 * n ? 1 : 0;
        }
        return new Coverage(covered, (double) good / n);
    }
}
