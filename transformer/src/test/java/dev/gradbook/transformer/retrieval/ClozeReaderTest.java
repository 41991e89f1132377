package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.optim.AdamW;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClozeReaderTest {
    private static final int PAD = WordVocabulary.PAD;

    @Test
    void batchBuildsEachPositionsWindowAndTheExactMatches() {
        ClozeReader r = new ClozeReader(new ClozeReader.Config(10, 1, 2, 3, true), new Rng(0));
        // question "5 ___ 7"; passage 5 6 7 4: position 1 (word 6) has 5 on its left and 7 on its right
        ClozeReader.Batch b = r.batch(List.of(new int[] {5, 7}), List.of(new int[] {5, 6, 7, 4}));
        assertArrayEquals(new int[] {1, 4, 2}, b.context().shape());
        assertArrayEquals(new int[] {PAD, 6, 5, 7, 6, 4, 7, PAD}, b.context().data());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0}, b.matches().data());
        assertArrayEquals(new int[] {5, 6, 7, 4}, b.tokens().data());
    }

    /** The loss written out from the scores: -log of the answer's generate and copy probabilities over all V + n. */
    @Test
    void lossIsMinusLogTheAnswersTotalProbability() {
        ClozeReader r = new ClozeReader(new ClozeReader.Config(8, 1, 3, 4, true), new Rng(1));
        ClozeReader.Batch b = r.batch(List.of(new int[] {2, 3}, new int[] {4, 5}),
                List.of(new int[] {2, 6, 3, 6}, new int[] {7, 2}));
        int[] answers = {6, 5};
        float[] s = r.scores(b).data();                          // (2, 8 + 4), padding of question 2 at -1e9
        int width = 8 + 4;
        double loss = 0;
        int[][] answerColumns = {{6, 8 + 1, 8 + 3}, {5}};       // word 6 is generated or copied from positions 1 and 3
        for (int i = 0; i < 2; i++) {
            double z = 0;
            double a = 0;
            for (int c = 0; c < width; c++) {
                z += Math.exp(s[i * width + c]);
            }
            for (int c : answerColumns[i]) {
                a += Math.exp(s[i * width + c]);
            }
            loss -= Math.log(a / z) / 2;
        }
        assertEquals(loss, r.loss(b, answers).item(), 1e-5);
        assertTrue(s[width + 8 + 2] < -1e8 && s[width + 8 + 3] < -1e8, "padding positions are masked");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        ClozeReader r = new ClozeReader(new ClozeReader.Config(8, 1, 2, 3, true), new Rng(2));
        try (var noGrad = Autograd.noGrad()) {             // away from zero, so that its gradient is exercised
            r.matchWeights.copyInPlace(Tensor.of(new float[] {0.3f, -0.2f}));
        }
        ClozeReader.Batch b = r.batch(List.of(new int[] {2, 3}, new int[] {4, 5}),
                List.of(new int[] {2, 6, 3, 6}, new int[] {4, 7, 5}));
        Tensor[] params = r.parameters().toArray(new Tensor[0]);
        GradCheck.Report report = GradCheck.check(in -> r.loss(b, new int[] {6, 7}), 1e-2, 2e-2, 2e-3, params);
        assertTrue(report.passed(), report.toString());
    }

    @Test
    void closedBookHasOnlyTheGenerateScores() {
        ClozeReader r = new ClozeReader(new ClozeReader.Config(8, 2, 2, 3, true), new Rng(3));
        ClozeReader.Batch b = r.batch(List.of(new int[] {2, 3, 4, 5}), List.of(new int[0]));
        assertArrayEquals(new int[] {1, 8}, r.scores(b).shape());
    }

    @Test
    void trainingOnGoldPassagesLearnsToCopyFromPassagesItNeverSaw() {
        // 40 random passages of 12 words over 30 words; the blank's answer is the word between its neighbours
        Rng rng = new Rng(4);
        int vocabulary = 32;
        ClozeReader r = new ClozeReader(new ClozeReader.Config(vocabulary, 2, 8, 16, true), new Rng(5));
        AdamW opt = new AdamW(r.namedParameters(), 1e-2f);
        for (int step = 0; step < 150; step++) {
            Example e = Example.random(rng, vocabulary, 16);
            Tensor loss = r.loss(r.batch(e.questions, e.passages), e.answers);
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        Example test = Example.random(new Rng(99), vocabulary, 100);
        int[] predicted = r.answer(r.batch(test.questions, test.passages));
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == test.answers[i] ? 1 : 0;
        }
        assertTrue(right >= 90, right + " of 100 right");
    }

    private record Example(List<int[]> questions, List<int[]> passages, int[] answers) {
        static Example random(Rng rng, int vocabulary, int count) {
            List<int[]> q = new java.util.ArrayList<>();
            List<int[]> p = new java.util.ArrayList<>();
            int[] a = new int[count];
            for (int i = 0; i < count; i++) {
                int[] passage = new int[12];
                for (int j = 0; j < passage.length; j++) {
                    passage[j] = 2 + rng.nextInt(vocabulary - 2);
                }
                int at = 2 + rng.nextInt(8);
                q.add(new int[] {passage[at - 2], passage[at - 1], passage[at + 1], passage[at + 2]});
                p.add(passage);
                a[i] = passage[at];
            }
            return new Example(q, p, a);
        }
    }

    @Test
    void badInputsAreNamed() {
        ClozeReader r = new ClozeReader(new ClozeReader.Config(8, 1, 2, 3, true), new Rng(3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.batch(List.of(new int[] {1, 2, 3}), List.of(new int[0])))
                .getMessage().contains("2W = 2"));
        ClozeReader.Batch b = r.batch(List.of(new int[] {2, 3}), List.of(new int[] {4}));
        assertThrows(IllegalArgumentException.class, () -> r.loss(b, new int[] {9}));
        assertThrows(IllegalArgumentException.class, () -> r.loss(b, new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new ClozeReader.Config(8, 0, 2, 3, true));
    }
}
