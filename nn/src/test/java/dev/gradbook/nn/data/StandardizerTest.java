package dev.gradbook.nn.data;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardizerTest {

    @Test
    void fitsOnTrainAndAppliesTheSameStatisticsElsewhere() {
        Tensor train = Tensor.of(new float[][] {{1, 10, 5}, {2, 20, 5}, {3, 60, 5}});
        Standardizer s = Standardizer.fit(train);
        // column 0: mean 2, population variance (1 + 0 + 1) / 3
        // column 1: mean 30, deviations -20, -10, 30: variance (400 + 100 + 900) / 3
        // column 2: constant, so std 1 and the column maps to 0
        double std0 = Math.sqrt(2.0 / 3);
        double std1 = Math.sqrt(1400.0 / 3);
        assertArrayEquals(new float[] {2, 30, 5}, s.mean());
        assertArrayEquals(new float[] {(float) std0, (float) std1, 1}, s.std(), 1e-6f);

        Tensor z = s.transform(train);
        assertArrayEquals(new float[] {(float) (-1 / std0), (float) (-20 / std1), 0,
                0, (float) (-10 / std1), 0,
                (float) (1 / std0), (float) (30 / std1), 0}, z.data(), 1e-6f);

        Tensor test = Tensor.of(new float[][] {{4, 30, 7}});
        assertArrayEquals(new float[] {(float) (2 / std0), 0, 2}, s.transform(test).data(), 1e-6f);
        assertArrayEquals(test.data(), s.inverseTransform(s.transform(test)).data(), 1e-5f);
    }

    @Test
    void missingValuesAreLeftOutAndKept() {
        Tensor x = Tensor.of(new float[][] {{1, Float.NaN}, {3, 4}, {Float.NaN, 8}});
        Standardizer s = Standardizer.fit(x);
        assertArrayEquals(new float[] {2, 6}, s.mean());
        assertArrayEquals(new float[] {1, 2}, s.std(), 1e-6f);
        Tensor z = s.transform(x);
        assertEquals(-1f, z.get(0, 0), 1e-6f);
        assertTrue(Float.isNaN(z.get(0, 1)));
        assertEquals(1f, z.get(2, 1), 1e-6f);
    }

    @Test
    void shapesAreChecked() {
        Standardizer s = Standardizer.fit(Tensor.zeros(4, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.transform(Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("[4, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(Tensor.zeros(4)));
    }
}
