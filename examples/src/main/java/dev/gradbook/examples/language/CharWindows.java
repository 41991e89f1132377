package dev.gradbook.examples.language;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.gpt.Gpt;

/**
 * Training examples for a next-token model: random windows of {@code blockSize + 1} tokens cut
 * from one long encoded text. The input is the first {@code blockSize} tokens, the target the
 * same window shifted by one, so position t learns to predict token t + 1.
 * <pre>
 *   text    ...  T  o     b  e  ,     o  r ...
 *   input        T  o  _  b  e  ,  _  o
 *   target       o  _  b  e  ,  _  o  r
 * </pre>
 */
public final class CharWindows {
    private CharWindows() {
    }

    /** {@code {inputs (B, T), targets (B, T)}} from random offsets in {@code ids}. */
    public static IntTensor[] sample(IntTensor ids, int batchSize, int blockSize, Rng rng) {
        int[] text = ids.data();
        if (text.length <= blockSize + 1) {
            throw new IllegalArgumentException("text of " + text.length + " tokens is too short for windows of "
                    + (blockSize + 1));
        }
        int[] x = new int[batchSize * blockSize];
        int[] y = new int[batchSize * blockSize];
        for (int b = 0; b < batchSize; b++) {
            int start = rng.nextInt(text.length - blockSize - 1);
            System.arraycopy(text, start, x, b * blockSize, blockSize);
            System.arraycopy(text, start + 1, y, b * blockSize, blockSize);
        }
        return new IntTensor[] {IntTensor.wrap(x, batchSize, blockSize), IntTensor.wrap(y, batchSize, blockSize)};
    }

    /** The mean loss over {@code batches} random batches, in eval mode and without gradients. */
    static double meanLoss(Gpt model, IntTensor ids, int batchSize, int blockSize, int batches, Rng rng) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double total = 0;
        try (var ignored = Autograd.noGrad()) {
            for (int i = 0; i < batches; i++) {
                IntTensor[] batch = sample(ids, batchSize, blockSize, rng);
                total += model.loss(batch[0], batch[1]).item();
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        return total / batches;
    }
}
