package dev.gradbook.core;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gradbook.core.testing.Reference;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reshaping, permuting, slicing, gathering and concatenating, against coordinate loops. */
class ShapeOpsTest {

    /** {@code x[i, j, k] = 100 i + 10 j + k}: every value says where it came from. */
    private static Tensor coordinates(int... shape) {
        float[] x = new float[Reference.numel(shape)];
        for (int p = 0; p < x.length; p++) {
            int[] idx = Reference.unravel(p, shape);
            float v = 0;
            for (int c : idx) {
                v = v * 10 + c;
            }
            x[p] = v;
        }
        return Tensor.of(x, shape);
    }

    @Test
    void reshapeKeepsRowMajorOrderAndSharesStorage() {
        Tensor x = Tensor.arange(12);
        Tensor y = x.reshape(3, -1);
        assertShape(y, 3, 4);
        assertEquals(6f, y.get(1, 2));
        assertSame(x.data(), y.data(), "reshape is documented to share storage");
        assertShape(x.reshape(2, 2, 3), 2, 2, 3);
        assertShape(x.reshape(-1), 12);
        assertShape(Tensor.scalar(5).reshape(1, 1), 1, 1);
        assertShape(Tensor.ones(1, 1).reshape(), new int[0]);
        assertShape(coordinates(2, 3, 4).flatten(), 24);
        assertShape(coordinates(2, 3, 4).flatten(1, 2), 2, 12);
        assertShape(coordinates(2, 3, 4).flatten(0, 1), 6, 4);
        assertShape(Tensor.scalar(1).flatten(0, -1), 1);
    }

    static Stream<int[]> permutations() {
        return Stream.of(new int[] {0, 1, 2}, new int[] {0, 2, 1}, new int[] {1, 0, 2}, new int[] {1, 2, 0},
                new int[] {2, 0, 1}, new int[] {2, 1, 0}, new int[] {-1, 0, 1});
    }

    @ParameterizedTest
    @MethodSource("permutations")
    void permuteMatchesCoordinateLoop(int[] order) {
        Tensor x = coordinates(2, 3, 4);
        int[] resolved = order.clone();
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = resolved[i] < 0 ? resolved[i] + 3 : resolved[i];
        }
        Tensor y = x.permute(order);
        assertShape(y, x.size(resolved[0]), x.size(resolved[1]), x.size(resolved[2]));
        assertValues(y, 0, Reference.permute(x, resolved));
    }

    @Test
    void transposeAndT() {
        Tensor x = coordinates(2, 3, 4);
        assertValues(x.transpose(0, 2), 0, Reference.permute(x, 2, 1, 0));
        assertValues(x.transpose(-1, -2), 0, Reference.permute(x, 0, 2, 1));
        Tensor m = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertShape(m.t(), 3, 2);
        assertValues(m.t(), 0, 1, 4, 2, 5, 3, 6);
        assertValues(m.t().t(), 0, m.data());
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor x = Tensor.zeros(2, 1, 3, 1);
        assertShape(x.squeeze(), 2, 3);
        assertShape(x.squeeze(1), 2, 3, 1);
        assertShape(x.squeeze(-1), 2, 1, 3);
        assertShape(x.squeeze(0), 2, 1, 3, 1);
        assertShape(Tensor.zeros(2, 3).unsqueeze(0), 1, 2, 3);
        assertShape(Tensor.zeros(2, 3).unsqueeze(1), 2, 1, 3);
        assertShape(Tensor.zeros(2, 3).unsqueeze(2), 2, 3, 1);
        assertShape(Tensor.zeros(2, 3).unsqueeze(-1), 2, 3, 1);
        assertShape(Tensor.zeros(2, 3).unsqueeze(-3), 1, 2, 3);
        assertShape(Tensor.scalar(1).unsqueeze(0), 1);
    }

    @Test
    void expandRepeatsValues() {
        Tensor col = Tensor.of(new float[] {1, 2}, 2, 1);
        Tensor e = col.expand(2, 3);
        assertShape(e, 2, 3);
        assertValues(e, 0, 1, 1, 1, 2, 2, 2);
        Tensor e3 = col.expand(2, -1, 3);
        assertShape(e3, 2, 2, 3);
        assertValues(e3, 0, 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2);
        assertValues(Tensor.scalar(4).expand(3), 0, 4, 4, 4);
    }

    @Test
    void narrowSliceAndSelect() {
        Tensor x = coordinates(3, 4);
        assertValues(x.narrow(1, 1, 2), 0, 1, 2, 11, 12, 21, 22);
        assertValues(x.narrow(0, 2, 1), 0, 20, 21, 22, 23);
        assertValues(x.slice(0, 1, 3), 0, 10, 11, 12, 13, 20, 21, 22, 23);
        assertValues(x.slice(1, -2, 4), 0, 2, 3, 12, 13, 22, 23);
        assertValues(x.slice(1, 1, -1), 0, 1, 2, 11, 12, 21, 22);
        assertValues(x.slice(1, 2, 100), 0, 2, 3, 12, 13, 22, 23);
        assertShape(x.slice(1, 3, 1), 3, 0);
        // bounds past either end are clamped, as in Python's x[:, start:end]
        assertShape(x.slice(1, 5, 10), 3, 0);
        assertValues(x.slice(1, -10, 2), 0, 0, 1, 10, 11, 20, 21);
        assertValues(x.slice(0, -100, 100), 0, x.data());
        assertShape(x.slice(0, 2, -5), 0, 4);
        assertShape(x.select(0, 1), 4);
        assertValues(x.select(0, 1), 0, 10, 11, 12, 13);
        assertValues(x.select(1, -1), 0, 3, 13, 23);
        assertShape(Tensor.vector(5, 6).select(0, 1), new int[0]);
        assertEquals(6f, Tensor.vector(5, 6).select(0, 1).item());
    }

    @Test
    void indexSelectWithRepeatsMatchesLoop() {
        Tensor x = coordinates(3, 2, 4);
        int[] rows = {2, 0, 2, 2};
        Tensor byRow = x.indexSelect(0, rows);
        assertShape(byRow, 4, 2, 4);
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(x.get(rows[r], j, k), byRow.get(r, j, k));
                }
            }
        }
        int[] cols = {3, 3, 1};
        Tensor byCol = x.indexSelect(-1, cols);
        assertShape(byCol, 3, 2, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                for (int c = 0; c < cols.length; c++) {
                    assertEquals(x.get(i, j, cols[c]), byCol.get(i, j, c));
                }
            }
        }
        assertShape(x.indexSelect(1), 3, 0, 4);
    }

    @Test
    void indexSelectGradientAddsUpRepeats() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad(true);
        x.indexSelect(0, 2, 0, 2, 2).sum().backward();
        assertValues(x.grad(), 0, 1, 1, 0, 0, 3, 3);
    }

    @Test
    void gatherMatchesItsDefinition() {
        Tensor x = coordinates(3, 4);
        IntTensor index = IntTensor.of(new int[] {3, 0, 0, 1, 2, 2}, 3, 2);
        Tensor g = x.gather(1, index);
        assertShape(g, 3, 2);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(x.get(i, index.get(i, j)), g.get(i, j));
            }
        }
        IntTensor index0 = IntTensor.of(new int[] {2, 1, 0, 0, 1, 2, 2, 2}, 2, 4);
        Tensor g0 = x.gather(0, index0);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(x.get(index0.get(i, j), j), g0.get(i, j));
            }
        }
        // an index smaller than the input in the other dimension reads the leading block
        IntTensor narrowIndex = IntTensor.of(new int[] {1, 0}, 2, 1);
        assertValues(x.gather(1, narrowIndex), 0, 1, 10);
    }

    @Test
    void gatherGradientAddsUpRepeats() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
        IntTensor index = IntTensor.of(new int[] {2, 2, 0, 1, 1, 1}, 2, 3);
        x.gather(1, index).sum().backward();
        assertValues(x.grad(), 0, 1, 0, 2, 0, 3, 0);
    }

    @Test
    void catAlongEachDimMatchesLoop() {
        Tensor a = coordinates(2, 3);
        Tensor b = coordinates(2, 3).add(100);
        Tensor rows = Tensor.cat(List.of(a, b), 0);
        assertShape(rows, 4, 3);
        assertValues(rows, 0, 0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112);
        Tensor c = Tensor.full(-1, 2, 1);
        Tensor cols = Tensor.cat(List.of(a, c, b), 1);
        assertShape(cols, 2, 7);
        assertValues(cols, 0, 0, 1, 2, -1, 100, 101, 102, 10, 11, 12, -1, 110, 111, 112);
        assertValues(Tensor.cat(List.of(a, c, b), -1), 0, cols.data());
        assertValues(Tensor.cat(List.of(a), 0), 0, a.data());
        assertShape(Tensor.cat(List.of(a, Tensor.zeros(0, 3)), 0), 2, 3);
    }

    @Test
    void stackAddsADimension() {
        Tensor a = Tensor.vector(1, 2, 3);
        Tensor b = Tensor.vector(4, 5, 6);
        assertShape(Tensor.stack(List.of(a, b), 0), 2, 3);
        assertValues(Tensor.stack(List.of(a, b), 0), 0, 1, 2, 3, 4, 5, 6);
        assertShape(Tensor.stack(List.of(a, b), 1), 3, 2);
        assertValues(Tensor.stack(List.of(a, b), 1), 0, 1, 4, 2, 5, 3, 6);
        assertValues(Tensor.stack(List.of(a, b), -1), 0, 1, 4, 2, 5, 3, 6);
        assertShape(Tensor.stack(List.of(Tensor.scalar(1), Tensor.scalar(2)), 0), 2);
    }

    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of(5, 2, new int[] {2, 2, 1}),
                Arguments.of(6, 2, new int[] {2, 2, 2}),
                Arguments.of(3, 5, new int[] {3}),
                Arguments.of(0, 2, new int[] {}));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void splitSizes(int n, int size, int[] sizes) {
        List<Tensor> parts = Tensor.arange(2 * n).reshape(n, 2).split(size, 0);
        assertEquals(sizes.length, parts.size());
        int row = 0;
        for (int i = 0; i < sizes.length; i++) {
            assertShape(parts.get(i), sizes[i], 2);
            assertEquals(2f * row, parts.get(i).get(0, 0), "piece " + i + " starts at row " + row);
            row += sizes[i];
        }
    }

    @Test
    void chunkLikePyTorch() {
        // torch.chunk: pieces of ceil(n / chunks); there may be fewer than asked for
        assertSizes(Tensor.arange(5).chunk(3, 0), 2, 2, 1);
        assertSizes(Tensor.arange(6).chunk(3, 0), 2, 2, 2);
        assertSizes(Tensor.arange(6).chunk(4, 0), 2, 2, 2);
        assertSizes(Tensor.arange(2).chunk(5, 0), 1, 1);
        List<Tensor> cols = Tensor.arange(6).reshape(2, 3).chunk(3, 1);
        assertValues(cols.get(2), 0, 2, 5);
    }

    private static void assertSizes(List<Tensor> parts, int... sizes) {
        assertEquals(sizes.length, parts.size());
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sizes[i], parts.get(i).size(0));
        }
    }

    @Test
    void catGradientGoesBackToEachPiece() {
        Tensor a = Tensor.zeros(2, 2).requiresGrad(true);
        Tensor b = Tensor.zeros(2, 1).requiresGrad(true);
        Tensor weights = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor.cat(List.of(a, b), 1).mul(weights).sum().backward();
        assertValues(a.grad(), 0, 1, 2, 4, 5);
        assertValues(b.grad(), 0, 3, 6);
    }
}
