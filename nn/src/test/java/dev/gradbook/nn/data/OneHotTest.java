package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneHotTest {

    @Test
    void encodesClassIndices() {
        Tensor rows = OneHot.encode(IntTensor.vector(2, 0, 1), 3);
        assertArrayEquals(new int[] {3, 3}, rows.shape());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, rows.data());
        assertThrows(IllegalArgumentException.class, () -> OneHot.encode(new int[] {3}, 3));
        assertThrows(IllegalArgumentException.class, () -> OneHot.encode(IntTensor.zeros(2, 2), 3));
    }

    @Test
    void encodesAStringColumnWithSortedCategories() {
        String[] island = {"Torgersen", "Biscoe", null, "Dream", "Biscoe"};
        OneHot encoder = OneHot.fit(island);
        assertEquals(List.of("Biscoe", "Dream", "Torgersen"), encoder.categories());
        assertArrayEquals(new int[] {2, 0, -1, 1, 0}, encoder.indices(island));
        assertArrayEquals(new float[] {
            0, 0, 1,
            1, 0, 0,
            0, 0, 0,
            0, 1, 0,
            1, 0, 0}, encoder.transform(island).data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.transform(new String[] {"Mars"}));
        assertTrue(e.getMessage().contains("Mars"), e.getMessage());
    }
}
