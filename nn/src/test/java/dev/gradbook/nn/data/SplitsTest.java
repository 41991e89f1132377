package dev.gradbook.nn.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SplitsTest {

    /** How often each of 0 .. n-1 occurs in the given index arrays. */
    private static int[] counts(int n, int[]... parts) {
        int[] c = new int[n];
        for (int[] part : parts) {
            for (int i : part) {
                c[i]++;
            }
        }
        return c;
    }

    private static int[] ones(int n) {
        int[] out = new int[n];
        Arrays.fill(out, 1);
        return out;
    }

    @Test
    void trainValTestCoversEveryIndexOnce() {
        Splits.Split s = Splits.trainValTest(103, 0.7, 0.15, 5);
        assertEquals(72, s.train().length); // round(72.1)
        assertEquals(15, s.val().length);   // round(15.45)
        assertEquals(16, s.test().length);  // the rest
        assertArrayEquals(ones(103), counts(103, s.train(), s.val(), s.test()));

        Splits.Split again = Splits.trainValTest(103, 0.7, 0.15, 5);
        assertArrayEquals(s.train(), again.train());
        assertArrayEquals(s.test(), again.test());
        assertFalse(Arrays.equals(s.train(), Splits.trainValTest(103, 0.7, 0.15, 6).train()));

        Splits.Split tt = Splits.trainTest(10, 0.8, 1);
        assertEquals(8, tt.train().length);
        assertEquals(0, tt.val().length);
        assertArrayEquals(ones(10), counts(10, tt.train(), tt.test()));

        assertThrows(IllegalArgumentException.class, () -> Splits.trainValTest(10, 0.8, 0.3, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.trainValTest(10, -0.1, 0.3, 1));
    }

    @Test
    void kFoldValidatesOnEveryIndexExactlyOnce() {
        int n = 23;
        List<Splits.Fold> folds = Splits.kFold(n, 5, 11);
        assertEquals(5, folds.size());
        int[] sizes = folds.stream().mapToInt(f -> f.val().length).toArray();
        assertArrayEquals(new int[] {5, 5, 5, 4, 4}, sizes); // 23 = 3 * 5 + 2 * 4
        int[][] vals = folds.stream().map(Splits.Fold::val).toArray(int[][]::new);
        assertArrayEquals(ones(n), counts(n, vals));
        for (Splits.Fold f : folds) {
            assertArrayEquals(ones(n), counts(n, f.train(), f.val()), "train and validation partition the data");
        }
        assertArrayEquals(folds.get(2).val(), Splits.kFold(n, 5, 11).get(2).val());

        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(4, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(4, 1, 1));
    }
}
