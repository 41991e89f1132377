package dev.gradbook.nn.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PowerLawFitTest {
    @Test
    void recoversAKnownExponentAndOffset() {
        double[] n = {1e3, 3e3, 1e4, 3e4, 1e5, 3e5};
        double[] loss = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            loss[i] = 20 * Math.pow(n[i], -0.34) + 1.5;
        }
        PowerLawFit f = PowerLawFit.fit(n, loss, 3000);
        assertEquals(0.34, f.alpha(), 0.01);
        assertEquals(1.5, f.c(), 0.01);
        assertEquals(loss[2], f.predict(n[2]), 1e-3);
    }

    @Test
    void pureLawWithoutOffsetIsExact() {
        double[] n = {10, 100, 1000};
        double[] loss = {5 * Math.pow(10, -0.5), 5 * Math.pow(100, -0.5), 5 * Math.pow(1000, -0.5)};
        PowerLawFit f = PowerLawFit.fit(n, loss, 1);
        assertEquals(0.5, f.alpha(), 1e-12);
        assertEquals(5, f.a(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> PowerLawFit.fit(new double[] {1, 2}, new double[] {1, 2}, 1));
    }
}
