package dev.gradbook.transformer.retrieval;

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

class DualEncoderTest {
    private static final List<List<String>> PASSAGES = List.of(
            List.of("cat", "sat", "mat"), List.of("dog", "chased", "ball"), List.of("bird", "sang", "tree", "song"),
            List.of("fish", "swam", "river"));
    private static final WordVocabulary VOCAB = new WordVocabulary(PASSAGES, 1);

    @Test
    void vocabularyPadsAndMarksUnknownWords() {
        WordVocabulary.Bags b = VOCAB.bags(List.of(List.of("cat", "zebra"), List.of()));
        assertArrayEquals(new int[] {2, WordVocabulary.UNKNOWN, WordVocabulary.PAD, WordVocabulary.PAD}, b.ids().data());
        assertArrayEquals(new float[] {1, 1, 0, 0}, b.mask().data());
        assertEquals(2 + 13, VOCAB.size());
    }

    @Test
    void meanPoolAveragesOnlyTheRealWords() {
        Tensor e = Tensor.of(new float[][][] {{{1, 2}, {3, 4}, {100, 100}}, {{5, 6}, {0, 0}, {0, 0}}});
        Tensor mask = Tensor.of(new float[][] {{1, 1, 0}, {1, 0, 0}});
        assertArrayEquals(new float[] {2, 3, 5, 6}, DualEncoder.meanPool(e, mask).data(), 1e-6f);
    }

    @Test
    void lossIsInfoNceComputedByHand() {
        DualEncoder enc = new DualEncoder(new DualEncoder.Config(VOCAB.size(), 5, 3, 0.5f), new Rng(4));
        WordVocabulary.Bags q = VOCAB.bags(List.of(List.of("cat"), List.of("dog", "ball"), List.of("song")));
        WordVocabulary.Bags p = VOCAB.bags(PASSAGES.subList(0, 3));
        float[] a = enc.encodeQuestions(q).data();
        float[] b = enc.encodePassages(p).data();
        double loss = 0;
        for (int i = 0; i < 3; i++) {
            double[] s = new double[3];
            double norm = 0;
            for (int j = 0; j < 3; j++) {
                s[j] = cosine(a, i, b, j, 3) / 0.5;
                norm += Math.exp(s[j]);
            }
            loss -= (s[i] - Math.log(norm)) / 3;
        }
        assertEquals(loss, enc.loss(q, p).item(), 1e-5);
    }

    private static double cosine(float[] a, int i, float[] b, int j, int d) {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < d; k++) {
            dot += a[i * d + k] * b[j * d + k];
            na += a[i * d + k] * a[i * d + k];
            nb += b[j * d + k] * b[j * d + k];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void gradientsOfTheLossMatchFiniteDifferences() {
        DualEncoder enc = new DualEncoder(new DualEncoder.Config(VOCAB.size(), 4, 3, 0.5f), new Rng(6));
        WordVocabulary.Bags q = VOCAB.bags(List.of(List.of("cat", "mat"), List.of("dog"), List.of("song", "sang")));
        WordVocabulary.Bags p = VOCAB.bags(PASSAGES.subList(0, 3));
        Tensor[] params = enc.parameters().toArray(new Tensor[0]);
        GradCheck.Report r = GradCheck.check(in -> enc.loss(q, p), 1e-2, 2e-2, 2e-3, params);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void trainingLearnsToRetrieveThePassageOfEachQuestion() {
        DualEncoder enc = new DualEncoder(new DualEncoder.Config(VOCAB.size(), 16, 8, 0.1f), new Rng(7));
        WordVocabulary.Bags q = VOCAB.bags(List.of(List.of("mat"), List.of("chased"), List.of("tree"), List.of("river")));
        WordVocabulary.Bags p = VOCAB.bags(PASSAGES);
        AdamW opt = new AdamW(enc.namedParameters(), 3e-2f);
        for (int step = 0; step < 100; step++) {
            Tensor loss = enc.loss(q, p);
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        Neighbours n = new ExactIndex(enc.encodePassages(p).detach(), Similarity.COSINE).search(enc.encodeQuestions(q).detach(), 1);
        assertArrayEquals(new int[] {0, 1, 2, 3}, n.ids().data());
    }

    @Test
    void mismatchedBatchesAreRejected() {
        DualEncoder enc = new DualEncoder(new DualEncoder.Config(VOCAB.size(), 4, 3, 0.5f), new Rng(6));
        assertThrows(IllegalArgumentException.class, () -> enc.loss(VOCAB.bags(PASSAGES.subList(0, 2)), VOCAB.bags(PASSAGES)));
        assertThrows(IllegalArgumentException.class, () -> new DualEncoder.Config(10, 4, 3, 0f));
    }
}
