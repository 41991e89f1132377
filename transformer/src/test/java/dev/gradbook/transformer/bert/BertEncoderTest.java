package dev.gradbook.transformer.bert;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.optim.AdamW;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertEncoderTest {
    private static final BertConfig CONFIG = BertConfig.tiny(24, 2);   // ids 0-3 special, 4-23 ordinary

    /** [CLS], one random ordinary id repeated, [SEP]: every masked token can be read off the others. */
    private static IntTensor repeatedBatch(Rng rng, int batch, int length) {
        int[] ids = new int[batch * length];
        for (int b = 0; b < batch; b++) {
            int start = rng.nextInt(20);
            ids[b * length] = CONFIG.clsId();
            for (int t = 1; t < length - 1; t++) {
                ids[b * length + t] = 4 + start;
            }
            ids[b * length + length - 1] = CONFIG.sepId();
        }
        return IntTensor.wrap(ids, batch, length);
    }

    @Test
    void maskingFollowsThe801010Rule() {
        IntTensor ids = repeatedBatch(new Rng(1), 200, 50);
        MlmMasking.Masked m = MlmMasking.of(CONFIG).apply(ids, new Rng(2));
        int ordinary = 0;
        int chosen = 0;
        int masked = 0;
        int unchanged = 0;
        for (int i = 0; i < ids.numel(); i++) {
            int original = ids.data()[i];
            int input = m.inputs().data()[i];
            int target = m.targets().data()[i];
            boolean special = original < 4;
            ordinary += special ? 0 : 1;
            if (special) {
                assertEquals(MlmMasking.IGNORE, target);
                assertEquals(original, input);
            } else if (target == MlmMasking.IGNORE) {
                assertEquals(original, input);
            } else {
                assertEquals(original, target);
                chosen++;
                masked += input == CONFIG.maskId() ? 1 : 0;
                unchanged += input == original ? 1 : 0;
                assertTrue(input == CONFIG.maskId() || input >= 4, "random replacements are ordinary tokens");
            }
        }
        assertEquals(0.15, chosen / (double) ordinary, 0.01);
        assertEquals(0.80, masked / (double) chosen, 0.03);
        // a random replacement equals the original 1 time in 20, so "unchanged" is 10% + 10% / 20
        assertEquals(0.105, unchanged / (double) chosen, 0.025);
        // the same seed masks the same way
        assertEquals(m.inputs(), MlmMasking.of(CONFIG).apply(ids, new Rng(2)).inputs());
    }

    @Test
    void masksAtLeastOnePosition() {
        MlmMasking rule = new MlmMasking(0f, CONFIG.maskId(), CONFIG.vocabSize(), CONFIG.specialIds());
        MlmMasking.Masked m = rule.apply(repeatedBatch(new Rng(3), 1, 6), new Rng(4));
        int chosen = 0;
        for (int t : m.targets().data()) {
            chosen += t == MlmMasking.IGNORE ? 0 : 1;
        }
        assertEquals(1, chosen);
    }

    @Test
    void maskedLanguageModelLossFalls() {
        BertEncoder bert = new BertEncoder(CONFIG, new Rng(5));
        AdamW opt = new AdamW(bert.namedParameters(), AdamW.Config.defaults().withLr(3e-3f).withBetas(0.9f, 0.99f).withWeightDecay(0f));
        Rng data = new Rng(6);
        Rng masking = new Rng(7);
        double early = 0;
        double late = 0;
        int steps = 80;
        for (int step = 0; step < steps; step++) {
            opt.zeroGrad();
            Tensor loss = bert.mlmLoss(repeatedBatch(data, 16, 12), masking);
            loss.backward();
            opt.step();
            early += step < 10 ? loss.item() / 10 : 0;
            late += step >= steps - 10 ? loss.item() / 10 : 0;
        }
        assertEquals(Math.log(24), early, 0.6);        // starts near guessing among 24 ids
        assertTrue(late < 0.5 * early, "MLM loss " + early + " -> " + late);
    }

    @Test
    void paddingDoesNotChangeTheRealPositions() {
        BertEncoder bert = new BertEncoder(CONFIG, new Rng(8));
        IntTensor ids = IntTensor.of(new int[] {1, 7, 8, 9, 2}, 1, 5);
        IntTensor padded = IntTensor.of(new int[] {1, 7, 8, 9, 2, 0, 0}, 1, 7);
        TensorAssert.assertClose(bert.forward(ids), bert.forward(padded).narrow(1, 0, 5), 1e-5);
        TensorAssert.assertShape(bert.mlmLogits(ids), 1, 5, 24);
    }

    @Test
    void classifiesFromTheClsPosition() {
        BertEncoder bert = new BertEncoder(CONFIG, new Rng(9));
        // label: whether token 5 appears in the sequence
        Rng rng = new Rng(10);
        int batch = 32;
        int[] ids = new int[batch * 6];
        int[] labels = new int[batch];
        for (int b = 0; b < batch; b++) {
            ids[b * 6] = CONFIG.clsId();
            for (int t = 1; t < 6; t++) {
                ids[b * 6 + t] = rng.nextInt(6, 24);
            }
            labels[b] = b % 2;
            if (b % 2 == 1) {
                ids[b * 6 + rng.nextInt(1, 6)] = 5;
            }
        }
        IntTensor x = IntTensor.wrap(ids, batch, 6);
        IntTensor y = IntTensor.wrap(labels, batch);
        TensorAssert.assertShape(bert.classify(x), batch, 2);
        AdamW opt = new AdamW(bert.namedParameters(), AdamW.Config.defaults().withLr(3e-3f).withBetas(0.9f, 0.99f).withWeightDecay(0f));
        float loss = Float.NaN;
        for (int step = 0; step < 60; step++) {
            opt.zeroGrad();
            Tensor l = bert.classificationLoss(x, y);
            l.backward();
            opt.step();
            loss = l.item();
        }
        assertTrue(loss < 0.1f, "classification loss " + loss);
    }
}
