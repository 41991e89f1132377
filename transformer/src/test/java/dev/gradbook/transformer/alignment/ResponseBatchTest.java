package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResponseBatchTest {
    @Test
    void joinsPadsAndMasksTheResponses() {
        ResponseBatch b = ResponseBatch.of(new int[][] {{5, 6}, {7}}, new int[][] {{1, 2}, {3}});
        assertArrayEquals(new int[] {5, 6, 1, 2, 7, 3, 0, 0}, b.tokens().data());
        assertValues(b.responseMask(), 0, 0, 0, 1, 1, 0, 1, 0, 0);
        assertArrayEquals(new int[] {6, 1, 2, 3, 0, 0}, b.targets().data());
        assertValues(b.targetMask(), 0, 0, 1, 1, 1, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> ResponseBatch.of(new int[][] {{}}, new int[][] {{1}}));
    }

    @Test
    void sequenceLogProbOfAModelSumsItsNextTokenLogProbabilities() {
        Gpt model = new Gpt(GptConfig.tiny(5), new Rng(4));
        int[] prompt = {1, 2};
        int[] response = {3, 0, 4};
        ResponseBatch b = ResponseBatch.of(new int[][] {prompt}, new int[][] {response});
        // by hand: log softmax of the model's logits at the position before each response token
        Tensor logits = model.forward(dev.gradbook.core.IntTensor.of(new int[] {1, 2, 3, 0}, 1, 4));   // (1, 4, 5)
        double expected = 0;
        for (int t = 0; t < 3; t++) {
            double z = 0;
            for (int v = 0; v < 5; v++) {
                z += Math.exp(logits.get(0, t + 1, v));
            }
            expected += logits.get(0, t + 1, response[t]) - Math.log(z);
        }
        assertValues(SequenceLogProb.of(model, b), 1e-5, expected);
    }
}
