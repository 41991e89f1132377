package dev.gradbook.nn.data;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {

    /** Example i: input row (i, 100 + i, -i), target 10 * i, so every value tells which example it came from. */
    private static TensorDataset numbered(int n) {
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = 100 + i;
            x[3 * i + 2] = -i;
            y[i] = 10 * i;
        }
        return new TensorDataset(Tensor.of(x, n, 3), Tensor.of(y, n));
    }

    /** The example ids of a batch, read back from the targets, after checking that inputs and targets agree. */
    private static int[] ids(Batch batch) {
        int b = batch.size();
        assertArrayEquals(new int[] {b, 3}, batch.inputs().shape());
        assertArrayEquals(new int[] {b}, batch.targets().shape());
        int[] ids = new int[b];
        for (int r = 0; r < b; r++) {
            ids[r] = (int) batch.targets().get(r) / 10;
            assertEquals(ids[r], batch.inputs().get(r, 0));
            assertEquals(100 + ids[r], batch.inputs().get(r, 1));
            assertEquals(-ids[r], batch.inputs().get(r, 2));
        }
        return ids;
    }

    private static List<Integer> visit(Iterable<Batch> batches, List<Integer> sizes) {
        List<Integer> seen = new ArrayList<>();
        for (Batch batch : batches) {
            sizes.add(batch.size());
            for (int id : ids(batch)) {
                seen.add(id);
            }
        }
        return seen;
    }

    @Test
    void inOrderBatchesKeepTheLastPartialBatch() {
        DataLoader loader = new DataLoader(numbered(10), 4);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> seen = visit(loader, sizes);
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
        assertEquals(3, loader.batchesPerEpoch());
    }

    @Test
    void dropLastSkipsTheShortBatch() {
        DataLoader loader = new DataLoader(numbered(10), 4, true, true, 7);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> seen = visit(loader, sizes);
        assertEquals(List.of(4, 4), sizes);
        assertEquals(8, seen.stream().distinct().count());
        assertEquals(2, loader.batchesPerEpoch());
        assertEquals(0, new DataLoader(numbered(3), 4, false, true, 0).batchesPerEpoch());
    }

    @Test
    void shuffleIsAPermutationDeterminedBySeedAndEpoch() {
        DataLoader a = new DataLoader(numbered(50), 8, true, false, 123);
        DataLoader b = new DataLoader(numbered(50), 8, true, false, 123);
        DataLoader other = new DataLoader(numbered(50), 8, true, false, 124);

        List<Integer> a0 = visit(a, new ArrayList<>());
        List<Integer> a1 = visit(a, new ArrayList<>()); // the second for-loop is epoch 1
        assertEquals(a0, visit(b, new ArrayList<>()));
        assertEquals(a1, visit(b, new ArrayList<>()));
        assertEquals(2, a.nextEpoch());

        int[] sorted = a0.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] all = new int[50];
        Arrays.setAll(all, i -> i);
        assertArrayEquals(all, sorted, "an epoch visits every example exactly once");
        assertFalse(a0.equals(a1), "a new epoch brings a new order");
        assertFalse(a0.equals(visit(other, new ArrayList<>())), "another seed brings another order");
        assertFalse(a0.equals(visit(new DataLoader(numbered(50), 8), new ArrayList<>())), "shuffled");

        // epoch e's order can be recomputed directly, without replaying epochs 0 .. e-1
        assertEquals(a1, visit(new DataLoader(numbered(50), 8, true, false, 123).epoch(1), new ArrayList<>()));
        assertEquals(a1, Arrays.stream(a.order(1)).boxed().toList());
    }

    @Test
    void resumingMidEpochServesTheRemainingBatches() {
        DataLoader loader = new DataLoader(numbered(23), 5, true, false, 9);
        List<Integer> full = visit(loader.epoch(3), new ArrayList<>());
        List<Integer> tail = visit(loader.epoch(3, 2), new ArrayList<>());
        assertEquals(full.subList(10, 23), tail);
        assertTrue(visit(loader.epoch(3, loader.batchesPerEpoch()), new ArrayList<>()).isEmpty());

        loader.setNextEpoch(3);
        assertEquals(full, visit(loader, new ArrayList<>()));
        assertThrows(IllegalArgumentException.class, () -> loader.epoch(0, 6));
    }

    @Test
    void defaultBatchStacksExamplesOfAnyShape() {
        // example i: a 2x2 input filled with i, a scalar target -i
        Dataset squares = new Dataset() {
            @Override
            public int size() {
                return 5;
            }

            @Override
            public Example get(int i) {
                return new Example(Tensor.full(i, 2, 2), Tensor.scalar(-i));
            }
        };
        Batch batch = squares.batch(new int[] {4, 1, 3});
        assertArrayEquals(new int[] {3, 2, 2}, batch.inputs().shape());
        assertArrayEquals(new float[] {4, 4, 4, 4, 1, 1, 1, 1, 3, 3, 3, 3}, batch.inputs().data());
        assertArrayEquals(new float[] {-4, -1, -3}, batch.targets().data());

        Dataset ragged = new Dataset() {
            @Override
            public int size() {
                return 2;
            }

            @Override
            public Example get(int i) {
                return new Example(Tensor.zeros(i + 1), Tensor.scalar(0));
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ragged.batch(new int[] {0, 1}));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[1]"), e.getMessage());
    }

    @Test
    void tensorDatasetRowsAndSubsets() {
        TensorDataset data = numbered(6);
        Example third = data.get(2);
        assertArrayEquals(new float[] {2, 102, -2}, third.input().data());
        assertEquals(0, third.target().dim());
        assertEquals(20, third.target().item());

        TensorDataset picked = data.subset(new int[] {5, 0});
        assertEquals(2, picked.size());
        assertArrayEquals(new float[] {5, 105, -5, 0, 100, 0}, picked.features().data());
        assertArrayEquals(new float[] {50, 0}, picked.targets().data());
        assertEquals(0, data.subset(new int[0]).size());

        assertThrows(IllegalArgumentException.class, () -> data.get(6));
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(data, 0));
    }
}
