package dev.gradbook.nn.train;

import dev.gradbook.core.Tensor;

import java.util.function.IntFunction;

/**
 * Gradient accumulation: the gradient of a batch too big for memory, computed as the sum of the
 * gradients of {@code k} micro-batches. Because gradients add up across {@code backward()} calls,
 * running each micro-batch's mean loss scaled by {@code 1/k} through backward leaves in every
 * parameter's {@code grad} exactly the gradient of the whole batch's mean loss (for equal
 * micro-batches), up to the order of float additions:
 * <pre>  grad (1/B) sum_{i in batch} l_i = sum_{j=1..k} grad (1/k) (1/b) sum_{i in micro-batch j} l_i,   B = k b</pre>
 * Call {@code optimizer.zeroGrad()} before and {@code optimizer.step()} after, as for one batch.
 */
public final class GradientAccumulation {
    private GradientAccumulation() {
    }

    /**
     * Runs backward on {@code microBatchLoss.apply(j) / k} for {@code j = 0 .. k-1} and returns the
     * mean of the micro-batch losses (the whole batch's loss).
     */
    public static double backward(int k, IntFunction<Tensor> microBatchLoss) {
        if (k < 1) {
            throw new IllegalArgumentException("GradientAccumulation: need at least one micro-batch, got " + k);
        }
        double total = 0;
        for (int j = 0; j < k; j++) {
            Tensor loss = microBatchLoss.apply(j);
            if (loss.numel() != 1) {
                throw new IllegalArgumentException("GradientAccumulation: micro-batch " + j
                        + " gave a loss with " + loss.numel() + " values, not a scalar");
            }
            loss.mul(1f / k).backward();
            total += loss.item();
        }
        return total / k;
    }
}
