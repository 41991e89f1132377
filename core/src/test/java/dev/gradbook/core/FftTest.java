package dev.gradbook.core;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FftTest {
    @Test
    void forwardMatchesTheDefinitionSummedDirectly() {
        Random r = new Random(1);
        for (int n : new int[] {1, 2, 4, 8, 64}) {
            double[] re = r.doubles(n, -1, 1).toArray();
            double[] im = r.doubles(n, -1, 1).toArray();
            double[] xr = re.clone();
            double[] xi = im.clone();
            Fft.forward(xr, xi);
            for (int k = 0; k < n; k++) {
                double sr = 0;
                double si = 0;
                for (int j = 0; j < n; j++) {
                    double angle = -2 * Math.PI * j * k / n;
                    sr += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
                    si += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
                }
                assertEquals(sr, xr[k], 1e-12, "n " + n + " k " + k);
                assertEquals(si, xi[k], 1e-12, "n " + n + " k " + k);
            }
        }
    }

    @Test
    void knownSpectra() {
        // an impulse at 0 has a flat spectrum; a constant has all its energy at k = 0
        double[] re = {1, 0, 0, 0};
        double[] im = new double[4];
        Fft.forward(re, im);
        assertArrayEquals(new double[] {1, 1, 1, 1}, re, 1e-15);
        double[] c = {2, 2, 2, 2};
        double[] ci = new double[4];
        Fft.forward(c, ci);
        assertArrayEquals(new double[] {8, 0, 0, 0}, c, 1e-15);
        // cos(2 pi t / 8) puts n/2 at k = 1 and k = 7
        double[] w = new double[8];
        for (int t = 0; t < 8; t++) {
            w[t] = Math.cos(2 * Math.PI * t / 8);
        }
        double[] wi = new double[8];
        Fft.forward(w, wi);
        assertArrayEquals(new double[] {0, 4, 0, 0, 0, 0, 0, 4}, w, 1e-12);
    }

    @Test
    void inverseUndoesForward() {
        Random r = new Random(2);
        double[] re = r.doubles(1024, -1, 1).toArray();
        double[] im = r.doubles(1024, -1, 1).toArray();
        double[] xr = re.clone();
        double[] xi = im.clone();
        Fft.forward(xr, xi);
        Fft.inverse(xr, xi);
        assertArrayEquals(re, xr, 1e-12);
        assertArrayEquals(im, xi, 1e-12);
    }

    @Test
    void convolveMatchesTheDirectSumInDoubles() {
        Random r = new Random(3);
        int[][] lengths = {{1, 1}, {5, 3}, {3, 5}, {16, 16}, {17, 40}, {300, 7}};
        for (int[] len : lengths) {
            double[] a = r.doubles(len[0], -1, 1).toArray();
            double[] b = r.doubles(len[1], -1, 1).toArray();
            double[] direct = new double[a.length + b.length - 1];
            for (int s = 0; s < a.length; s++) {
                for (int u = 0; u < b.length; u++) {
                    direct[s + u] += a[s] * b[u];
                }
            }
            assertArrayEquals(direct, Fft.convolve(a, b), 1e-12, len[0] + " x " + len[1]);
        }
    }

    @Test
    void nextPowerOfTwo() {
        assertEquals(1, Fft.nextPowerOfTwo(1));
        assertEquals(2, Fft.nextPowerOfTwo(2));
        assertEquals(4, Fft.nextPowerOfTwo(3));
        assertEquals(1024, Fft.nextPowerOfTwo(1000));
        assertEquals(1024, Fft.nextPowerOfTwo(1024));
    }

    @Test
    void badLengthsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fft.forward(new double[6], new double[6]));
        assertTrue(e.getMessage().contains("power-of-two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fft.forward(new double[4], new double[8]));
        assertThrows(IllegalArgumentException.class, () -> Fft.convolve(new double[0], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> Fft.nextPowerOfTwo(0));
    }
}
