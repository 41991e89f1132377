package dev.gradbook.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Shape errors are IllegalArgumentExceptions that name the op and the shapes involved. */
class ShapeErrorsTest {

    /** Runs {@code call}, expects an IllegalArgumentException and checks its message holds every fragment. */
    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected \"" + f + "\" in: " + e.getMessage());
        }
    }

    @Test
    void matmulNamesBothShapesAndTheInnerSizes() {
        assertMessage(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)),
                "matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 != 4)");
        assertMessage(() -> Tensor.zeros(3).matmul(Tensor.zeros(4)),
                "matmul: shapes [3] and [4] cannot be multiplied (3 != 4)");
        assertMessage(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 6)),
                "matmul: shapes [2, 3, 4] and [5, 6] cannot be multiplied (4 != 5)");
        assertMessage(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(2, 5, 6)),
                "matmul: shapes [2, 3, 4] and [2, 5, 6] cannot be multiplied (4 != 5)");
        assertMessage(() -> Tensor.scalar(1).matmul(Tensor.zeros(2)), "matmul", "[]", "[2]");
    }

    @Test
    void matmulErrorsNameTheShapesAsGiven() {
        // a 1-D operand is promoted internally; the message must still show the caller's shapes
        assertMessage(() -> Tensor.zeros(3).matmul(Tensor.zeros(4, 5)),
                "matmul: shapes [3] and [4, 5] cannot be multiplied (3 != 4)");
        assertMessage(() -> Tensor.zeros(4, 5).matmul(Tensor.zeros(3)),
                "matmul: shapes [4, 5] and [3] cannot be multiplied (5 != 3)");
        assertMessage(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3)),
                "matmul: shapes [2, 3, 4] and [3] cannot be multiplied (4 != 3)");
    }

    @Test
    void matmulBatchMismatchNamesTheFullShapes() {
        assertMessage(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)), "matmul", "[2, 3, 4]", "[3, 4, 5]");
    }

    @Test
    void matmulTErrors() {
        assertMessage(() -> Tensor.zeros(2, 3).matmulT(Tensor.zeros(4, 5)), "matmulT", "[2, 3]", "[4, 5]", "3 != 5");
        assertMessage(() -> Tensor.zeros(3).matmulT(Tensor.zeros(4, 3)), "matmulT", "[3]");
        assertMessage(() -> Tensor.zeros(2, 3, 4).matmulT(Tensor.zeros(3, 5, 4)), "matmulT", "[2, 3, 4]", "[3, 5, 4]");
    }

    @Test
    void broadcastErrorsNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4);
        assertMessage(() -> a.add(b), "add", "[2, 3]", "[4]");
        assertMessage(() -> a.sub(b), "sub", "[2, 3]", "[4]");
        assertMessage(() -> a.mul(b), "mul", "[2, 3]", "[4]");
        assertMessage(() -> a.div(b), "div", "[2, 3]", "[4]");
        assertMessage(() -> a.maximum(b), "maximum", "[2, 3]", "[4]");
        assertMessage(() -> a.minimum(b), "minimum", "[2, 3]", "[4]");
        assertMessage(() -> a.gt(b), "gt", "[2, 3]", "[4]");
        assertMessage(() -> Tensor.where(Tensor.zeros(3), a, b), "where", "[4]");
        assertMessage(() -> Tensor.zeros(2, 1, 3).add(Tensor.zeros(4, 2)), "add", "[2, 1, 3]", "[4, 2]");
        assertMessage(() -> a.maskedFill(Tensor.zeros(3, 3), 0f), "maskedFill", "[3, 3]", "[2, 3]");
        assertMessage(() -> Tensor.zeros(3).maskedFill(Tensor.zeros(2, 3), 0f), "maskedFill", "[2, 3]", "[3]");
        assertMessage(() -> a.expand(4, 3), "expand", "[2, 3]", "[4, 3]");
        assertMessage(() -> a.expand(3), "expand", "[2, 3]", "[3]");
    }

    @Test
    void reshapeWithTheWrongCount() {
        assertMessage(() -> Tensor.zeros(2, 3).reshape(4, 2), "reshape", "[2, 3]", "[4, 2]", "6");
        assertMessage(() -> Tensor.zeros(2, 3).reshape(-1, 4), "reshape", "[2, 3]", "[-1, 4]");
        assertMessage(() -> Tensor.zeros(2, 3).reshape(-1, -1), "reshape", "-1");
        assertMessage(() -> Tensor.zeros(2, 3).reshape(3, -2), "reshape", "negative");
        assertMessage(() -> Tensor.zeros(6).reshape(), "reshape", "[6]");
    }

    @Test
    void badDimensions() {
        Tensor x = Tensor.zeros(2, 3);
        assertMessage(() -> x.sum(2), "sum", "dimension 2", "2 dimensions");
        assertMessage(() -> x.mean(-3), "mean", "dimension -3");
        assertMessage(() -> x.max(5), "max", "dimension 5");
        assertMessage(() -> x.softmax(2), "softmax", "dimension 2");
        assertMessage(() -> x.logsumexp(-3, false), "logsumexp", "dimension -3");
        assertMessage(() -> x.var(2), "var", "dimension 2");
        assertMessage(() -> x.transpose(0, 2), "transpose", "dimension 2");
        assertMessage(() -> x.permute(0, 0), "permute", "repeats");
        assertMessage(() -> x.permute(0), "permute", "[2, 3]");
        assertMessage(() -> x.squeeze(2), "squeeze", "dimension 2");
        assertMessage(() -> x.unsqueeze(3), "unsqueeze", "dimension 3");
        assertMessage(() -> x.narrow(1, 2, 2), "narrow", "[2, 3]");
        assertMessage(() -> x.select(0, 2), "[2, 3]");
        assertMessage(() -> x.size(2), "size", "dimension 2");
        assertMessage(() -> Tensor.zeros(3).t(), "t", "[3]");
        assertMessage(() -> x.flatten(1, 0), "flatten");
        assertMessage(() -> x.split(0, 1), "split", "positive");
        assertMessage(() -> x.chunk(0, 1), "chunk", "positive");
    }

    @Test
    void outOfRangeIndices() {
        Tensor x = Tensor.zeros(3, 2);
        assertMessage(() -> x.indexSelect(0, 0, 3), "indexSelect", "3", "[3, 2]");
        assertMessage(() -> x.indexSelect(1, -1), "indexSelect", "-1", "[3, 2]");
        assertMessage(() -> x.gather(1, IntTensor.of(new int[] {0, 2}, 1, 2)), "gather", "index 2 out of range [0, 2)");
        assertMessage(() -> x.gather(0, IntTensor.of(new int[] {-1}, 1, 1)), "gather", "-1");
        assertMessage(() -> Tensor.of(new float[] {0.5f}, 1, 1).toIntTensor(), "toIntTensor", "0.5");
        assertMessage(() -> x.gather(0, IntTensor.zeros(2)), "gather", "[2]", "[3, 2]");
        assertMessage(() -> x.gather(0, IntTensor.zeros(1, 3)), "gather", "[1, 3]", "[3, 2]");
        assertMessage(() -> x.indexSelect(0, IntTensor.zeros(1, 1)), "indexSelect", "1-D");
        assertMessage(() -> x.topk(4, 0), "topk", "4", "[3, 2]");
        assertMessage(() -> x.get(3, 0), "get", "[3, 0]", "[3, 2]");
        assertMessage(() -> x.get(0), "get", "[3, 2]");
        assertMessage(() -> x.setInPlace(1f, 0, 5), "setInPlace", "[3, 2]");
    }

    @Test
    void catAndStackWithMismatchedShapes() {
        assertMessage(() -> Tensor.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), 0), "cat", "[2, 3]", "[2, 4]");
        assertMessage(() -> Tensor.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(3)), 0), "cat", "[2, 3]", "[3]");
        assertMessage(() -> Tensor.cat(List.of(), 0), "cat");
        assertMessage(() -> Tensor.cat(List.of(Tensor.zeros(2)), 1), "cat", "dimension 1");
        assertMessage(() -> Tensor.stack(List.of(Tensor.zeros(2), Tensor.zeros(3)), 0), "stack", "[2]", "[3]");
        assertMessage(() -> Tensor.stack(List.of(), 0), "stack");
    }

    @Test
    void itemOnANonScalar() {
        assertMessage(() -> Tensor.zeros(2, 3).item(), "item", "[2, 3]", "6");
        assertMessage(() -> Tensor.zeros(0).item(), "item", "[0]");
        assertEquals(4f, Tensor.full(4f, 1, 1).item());
    }

    @Test
    void creationErrors() {
        assertMessage(() -> Tensor.of(new float[] {1, 2, 3}, 2, 2), "[2, 2]", "4", "3");
        assertMessage(() -> Tensor.of(new float[][] {{1, 2}, {3}}), "row 1");
        assertMessage(() -> Tensor.zeros(2, -1), "negative", "[2, -1]");
        assertMessage(() -> Tensor.arange(0, 5, 0), "arange", "step");
        assertMessage(() -> Tensor.linspace(0, 1, -1), "linspace");
        assertMessage(() -> Tensor.bernoulli(new Rng(0), 1.5f, 2), "bernoulli", "1.5");
        assertMessage(() -> Tensor.vector(1, 2).copyInPlace(Tensor.vector(1, 2, 3)), "copyInPlace");
    }
}
