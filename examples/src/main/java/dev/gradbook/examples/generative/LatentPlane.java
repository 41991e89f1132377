package dev.gradbook.examples.generative;

import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Small helpers for latent spaces: straight-line paths between codes, and how well a 2-D map separates classes. */
final class LatentPlane {
    private LatentPlane() {
    }

    /** {@code n} codes {@code (n, J)} evenly spaced from a to b (both {@code (J)}), ends included. */
    static Tensor interpolate(Tensor a, Tensor b, int n) {
        List<Tensor> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float s = n == 1 ? 0f : (float) i / (n - 1);
            rows.add(a.mul(1 - s).add(b.mul(s)));
        }
        return Tensor.stack(rows, 0);
    }

    /**
     * The accuracy of the nearest-class-centre rule on 2-D points: each point gets the class whose
     * mean point is closest. (The centres are fitted on the same points: a measure of separation.)
     */
    static double centroidAccuracy(double[] x, double[] y, int[] labels) {
        int classes = 0;
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        double[] cx = new double[classes];
        double[] cy = new double[classes];
        int[] count = new int[classes];
        for (int i = 0; i < x.length; i++) {
            cx[labels[i]] += x[i];
            cy[labels[i]] += y[i];
            count[labels[i]]++;
        }
        for (int c = 0; c < classes; c++) {
            cx[c] /= Math.max(1, count[c]);
            cy[c] /= Math.max(1, count[c]);
        }
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double d = (x[i] - cx[c]) * (x[i] - cx[c]) + (y[i] - cy[c]) * (y[i] - cy[c]);
                if (count[c] > 0 && d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            right += best == labels[i] ? 1 : 0;
        }
        return (double) right / x.length;
    }
}
