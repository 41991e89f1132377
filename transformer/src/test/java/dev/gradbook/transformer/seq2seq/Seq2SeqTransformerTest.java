package dev.gradbook.transformer.seq2seq;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.optim.AdamW;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Seq2SeqTransformerTest {
    private static final int PAD = 0;
    private static final int BOS = 1;
    private static final int EOS = 2;
    private static final int VOCAB = 10;     // symbols 3..9
    private static final int MAX = 5;

    /** A batch of random sequences of 3..MAX symbols: source, decoder input (BOS + reversed), target (reversed + EOS). */
    private static IntTensor[] reverseBatch(Rng rng, int batch) {
        int[] src = new int[batch * MAX];
        int[] in = new int[batch * (MAX + 1)];
        int[] out = new int[batch * (MAX + 1)];
        for (int b = 0; b < batch; b++) {
            int n = rng.nextInt(3, MAX + 1);
            int[] s = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = rng.nextInt(3, VOCAB);
                src[b * MAX + i] = s[i];
            }
            in[b * (MAX + 1)] = BOS;
            for (int i = 0; i < n; i++) {
                in[b * (MAX + 1) + i + 1] = s[n - 1 - i];
                out[b * (MAX + 1) + i] = s[n - 1 - i];
            }
            out[b * (MAX + 1) + n] = EOS;
        }
        return new IntTensor[] {IntTensor.wrap(src, batch, MAX), IntTensor.wrap(in, batch, MAX + 1),
                IntTensor.wrap(out, batch, MAX + 1)};
    }

    @Test
    void learnsToReverseASequence() {
        // one encoder and one decoder layer are enough for reversal, and twice as fast to train
        Seq2SeqConfig config = new Seq2SeqConfig(VOCAB, VOCAB, 32, 4, 1, 1, 64, 0f, 32, PAD);
        Seq2SeqTransformer model = new Seq2SeqTransformer(config, new Rng(1));
        float lr = 5e-3f;
        AdamW opt = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(lr).withBetas(0.9f, 0.98f).withEps(1e-9f).withWeightDecay(0f));
        Rng rng = new Rng(2);
        float loss = 3f;   // running average of the training loss
        for (int step = 0; step < 500 && loss > 0.03f; step++) {
            IntTensor[] b = reverseBatch(rng, 32);
            opt.setLearningRate(lr * Math.min(1f, (step + 1) / 30f));   // warm-up: post-LN needs it (section 5.3)
            opt.zeroGrad();
            Tensor l = model.loss(b[0], b[1], b[2]);
            l.backward();
            opt.step();
            loss = 0.9f * loss + 0.1f * l.item();
        }
        assertTrue(loss < 0.05f, "final training loss " + loss);
        Rng test = new Rng(99);
        int correct = 0;
        for (int trial = 0; trial < 20; trial++) {
            int n = test.nextInt(3, MAX + 1);
            int[] src = new int[n];
            int[] reversed = new int[n];
            for (int i = 0; i < n; i++) {
                src[i] = test.nextInt(3, VOCAB);
            }
            for (int i = 0; i < n; i++) {
                reversed[i] = src[n - 1 - i];
            }
            if (java.util.Arrays.equals(reversed, model.greedyDecode(src, BOS, EOS, MAX + 2))) {
                correct++;
            }
        }
        assertTrue(correct >= 18, correct + " of 20 reversed correctly");
    }

    @Test
    void theDecoderIsCausalAndIgnoresSourcePadding() {
        Seq2SeqTransformer model = new Seq2SeqTransformer(Seq2SeqConfig.tiny(VOCAB), new Rng(3));
        IntTensor[] b = reverseBatch(new Rng(4), 2);
        Tensor logits = model.forward(b[0], b[1]);
        TensorAssert.assertShape(logits, 2, MAX + 1, VOCAB);
        IntTensor changedTarget = b[1].copy();
        changedTarget.data()[3] = 5;   // row 0, position 3
        Tensor after = model.forward(b[0], changedTarget);
        TensorAssert.assertBitsEqual(logits.narrow(1, 0, 3), after.narrow(1, 0, 3));
        // the source "3 4 5" with or without trailing padding encodes the same
        IntTensor shortSrc = IntTensor.of(new int[] {3, 4, 5}, 1, 3);
        IntTensor paddedSrc = IntTensor.of(new int[] {3, 4, 5, PAD, PAD}, 1, 5);
        IntTensor tgt = IntTensor.of(new int[] {BOS, 5, 4}, 1, 3);
        TensorAssert.assertClose(model.forward(shortSrc, tgt), model.forward(paddedSrc, tgt), 1e-5);
        assertFalse(model.forward(IntTensor.of(new int[] {3, 4, 6}, 1, 3), tgt).allClose(model.forward(shortSrc, tgt),
                1e-4f, 1e-5f));
    }

    @Test
    void greedyDecodingStopsAtTheLengthLimit() {
        Seq2SeqTransformer model = new Seq2SeqTransformer(Seq2SeqConfig.tiny(VOCAB), new Rng(5));
        int[] out = model.greedyDecode(new int[] {3, 4}, BOS, -1, 5);   // no EOS can ever match
        assertArrayEquals(new int[] {5}, new int[] {out.length});
    }
}
