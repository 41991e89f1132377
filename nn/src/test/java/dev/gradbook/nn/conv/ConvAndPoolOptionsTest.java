package dev.gradbook.nn.conv;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Dilation, groups, output padding, pooling padding, ceil mode and count_include_pad: finite
 * differences for every gradient, sizes from the formulas, and the bad settings refused.
 * (Values against PyTorch are in {@code fixtures.OpsFixtureTest}.)
 */
class ConvAndPoolOptionsTest {

    @Test
    void dilatedGroupedConvolutionGradients() {
        Rng rng = new Rng(3);
        Conv2d conv = new Conv2d(4, 6, 3, ConvOptions.defaults().withPadding(2).withDilation(2).withGroups(2), rng);
        Tensor x = Tensor.randn(rng, 2, 4, 6, 5).requiresGrad(true);
        assertArrayEquals(new int[] {2, 6, 6, 5}, conv.forward(x).shape());
        assertArrayEquals(new int[] {6, 2, 3, 3}, conv.weight.shape());
        assertGradients("Conv2d d=2 g=2", in -> conv.forward(in[0]), x, conv.weight, conv.bias);
        Conv1d conv1 = new Conv1d(4, 4, 3, ConvOptions.defaults().withDilation(3).withGroups(4).withStride(2), rng);
        Tensor s = Tensor.randn(rng, 2, 4, 11).requiresGrad(true);
        assertArrayEquals(new int[] {2, 4, 3}, conv1.forward(s).shape());   // floor((11 - 7) / 2) + 1
        assertGradients("Conv1d depthwise d=3 s=2", in -> conv1.forward(in[0]), s, conv1.weight, conv1.bias);
    }

    @Test
    void transposedConvolutionWithOutputPaddingGroupsAndDilation() {
        Rng rng = new Rng(4);
        ConvTranspose2d up = new ConvTranspose2d(4, 6, 3,
                ConvOptions.defaults().withStride(2).withPadding(1).withOutputPadding(1).withGroups(2).withDilation(2), rng);
        Tensor x = Tensor.randn(rng, 1, 4, 3, 2).requiresGrad(true);
        // (H - 1) s - 2p + d (k - 1) + op + 1 = 4 - 2 + 4 + 1 + 1 = 8, and 2 - 2 + 4 + 2 = 6 for W
        assertArrayEquals(new int[] {1, 6, 8, 6}, up.forward(x).shape());
        assertArrayEquals(new int[] {4, 3, 3, 3}, up.weight.shape());
        assertGradients("ConvTranspose2d op=1 g=2 d=2", in -> up.forward(in[0]), x, up.weight, up.bias);
    }

    @Test
    void poolingGradientsWithPaddingAndCeilMode() {
        Tensor x = Tensor.randn(new Rng(5), 2, 2, 7, 6).requiresGrad(true);
        PoolOptions k3 = PoolOptions.kernel(3).withStride(2).withPadding(1).withCeilMode(true);
        for (boolean include : new boolean[] {true, false}) {
            AvgPool2d pool = new AvgPool2d(k3.withCountIncludePad(include));
            assertArrayEquals(new int[] {2, 2, 4, 4}, pool.forward(x).shape());
            assertGradients("AvgPool2d " + k3 + " include=" + include, in -> pool.forward(in[0]), x);
        }
        // distinct values keep the max away from ties, where it has no derivative
        Tensor distinct = Tensor.arange(84).mul(0.37f).sin().reshape(1, 1, 12, 7).requiresGrad(true);
        MaxPool2d max = new MaxPool2d(PoolOptions.kernel(2).withCeilMode(true));
        assertArrayEquals(new int[] {1, 1, 6, 4}, max.forward(distinct).shape());
        assertGradients("MaxPool2d k=2 ceil", in -> max.forward(in[0]), distinct);
    }

    @Test
    void ceilModeDropsAWindowThatWouldStartInThePadding() {
        // size 6, k 3, s 2: floor(3 / 2) + 1 = 2, ceil(3 / 2) + 1 = 3 (the last window holds 2 pixels)
        assertEquals(2, PoolOptions.outputSize(6, 3, 2, 0, false));
        assertEquals(3, PoolOptions.outputSize(6, 3, 2, 0, true));
        // size 5, k 2, s 2, p 1: ceil(5 / 2) + 1 = 4, but window 3 would start at 3*2 - 1 = 5, in the padding
        assertEquals(3, PoolOptions.outputSize(5, 2, 2, 1, true));
        assertEquals(2, PoolOptions.outputSize(4, 2, 3, 1, true));
        // an average over a window cut at the image's edge divides by the part inside the padded image
        Tensor ones = Tensor.ones(1, 1, 3, 3);
        Tensor y = new AvgPool2d(PoolOptions.kernel(2).withCeilMode(true)).forward(ones);
        assertArrayEquals(new float[] {1, 1, 1, 1}, y.data());
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> ConvOptions.defaults().withOutputPadding(1));   // stride 1
        assertThrows(IllegalArgumentException.class, () -> ConvOptions.defaults().withDilation(0));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(4, 6, 3, ConvOptions.defaults().withGroups(4), new Rng(1)));             // 6 % 4
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(4, 4, 3, ConvOptions.defaults().withStride(2).withOutputPadding(1), new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.kernel(2).withPadding(2));
        assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(new Window2d(2, 2, 2, 2, 0, 0, 2, 2)));                                   // dilated
    }
}
