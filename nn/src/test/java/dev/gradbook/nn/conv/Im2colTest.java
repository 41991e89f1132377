package dev.gradbook.nn.conv;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Im2colTest {

    @Test
    void patchesOfTheClassDiagramExample() {
        // a..i = 1..9 in a 3 x 3 image, 2 x 2 window, stride 1: the four patches, one per row
        Tensor x = Tensor.arange(1, 10, 1).reshape(1, 1, 3, 3);
        Tensor cols = Im2col.im2col(x, Window2d.square(2, 1, 0));
        assertShape(cols, 4, 4);
        assertValues(cols, 0, 1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9);
    }

    @Test
    void paddingReadsZerosAndChannelsFollowEachOther() {
        // 2 channels of 2 x 2, window 2 x 2, padding 1, stride 2: 2 x 2 outputs; channel 1 = 10 + channel 0
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 11, 12, 13, 14}, 1, 2, 2, 2);
        Tensor cols = Im2col.im2col(x, Window2d.square(2, 2, 1));
        assertShape(cols, 4, 8);
        assertValues(cols, 0,
                0, 0, 0, 1, 0, 0, 0, 11,   // top-left window only sees x[0, 0]
                0, 0, 2, 0, 0, 0, 12, 0,
                0, 3, 0, 0, 0, 13, 0, 0,
                4, 0, 0, 0, 14, 0, 0, 0);
    }

    @Test
    void col2imSumsOverlappingCopies() {
        // columns of ones: each pixel receives one per patch that covers it
        Tensor image = Im2col.col2im(Tensor.ones(4, 4), Window2d.square(2, 1, 0), 1, 1, 3, 3);
        assertValues(image, 0, 1, 2, 1, 2, 4, 2, 1, 2, 1);
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        Rng rng = new Rng(3);
        Window2d win = new Window2d(3, 2, 2, 1, 1, 0);
        Tensor x = Tensor.randn(rng, 2, 3, 5, 4);
        Tensor cols = Im2col.im2col(x, win);
        Tensor y = Tensor.randn(rng, cols.shape());
        double left = dot(cols, y);
        double right = dot(x, Im2col.col2im(y, win, 2, 3, 5, 4));
        assertEquals(left, right, 1e-4 * Math.abs(left) + 1e-4);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Window2d win = new Window2d(3, 2, 2, 1, 1, 0);
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 2, 2, 5, 4).requiresGrad(true);
        assertGradients("im2col", in -> Im2col.im2col(in[0], win), x);
        Tensor cols = Tensor.randn(rng, 2 * win.outH(5) * win.outW(4), 2 * 3 * 2).requiresGrad(true);
        assertGradients("col2im", in -> Im2col.col2im(in[0], win, 2, 2, 5, 4), cols);
    }

    @Test
    void mismatchedShapesAreNamed() {
        Window2d win = Window2d.square(3, 1, 0);
        var rank = assertThrows(IllegalArgumentException.class, () -> Im2col.im2col(Tensor.zeros(3, 5, 5), win));
        assertTrue(rank.getMessage().contains("im2col") && rank.getMessage().contains("[3, 5, 5]"), rank.getMessage());
        var cols = assertThrows(IllegalArgumentException.class,
                () -> Im2col.col2im(Tensor.zeros(9, 8), win, 1, 1, 5, 5));
        assertTrue(cols.getMessage().contains("col2im") && cols.getMessage().contains("[9, 9]"), cols.getMessage());
    }

    static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.numel(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }
}
