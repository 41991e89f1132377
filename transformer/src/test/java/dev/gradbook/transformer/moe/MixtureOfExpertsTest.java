package dev.gradbook.transformer.moe;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureOfExpertsTest {
    /** Each expert's output for every token, computed separately: {@code (E)(n, C)}. */
    private static float[][] expertOutputs(MixtureOfExperts moe, Tensor tokens) {
        float[][] out = new float[moe.numExperts][];
        for (int i = 0; i < moe.numExperts; i++) {
            out[i] = moe.expert(i).forward(tokens).toArray();
        }
        return out;
    }

    /** The mixture written out with loops: softmax over each token's k largest gate logits. */
    private static float[] reference(MixtureOfExperts moe, Tensor tokens) {
        int n = tokens.size(0);
        int c = moe.dModel;
        int e = moe.numExperts;
        float[] w = moe.gate.weight.data();
        float[][] ys = expertOutputs(moe, tokens);
        float[] out = new float[n * c];
        for (int t = 0; t < n; t++) {
            double[] h = new double[e];
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < c; j++) {
                    h[i] += w[i * c + j] * tokens.get(t, j);
                }
            }
            Integer[] experts = new Integer[e];
            for (int i = 0; i < e; i++) {
                experts[i] = i;
            }
            Arrays.sort(experts, (a, b) -> Double.compare(h[b], h[a])); // stable: ties keep the lower index
            double z = 0;
            for (int s = 0; s < moe.k; s++) {
                z += Math.exp(h[experts[s]]);
            }
            for (int s = 0; s < moe.k; s++) {
                int i = experts[s];
                double g = Math.exp(h[i]) / z;
                for (int j = 0; j < c; j++) {
                    out[t * c + j] += (float) (g * ys[i][t * c + j]);
                }
            }
        }
        return out;
    }

    @Test
    void withKEqualToNItIsTheDenseSoftmaxMixture() {
        MixtureOfExperts moe = new MixtureOfExperts(4, 8, 3, 3, new Rng(0));
        Tensor x = Tensor.randn(new Rng(1), 2, 5, 4); // (B, T, C): 10 tokens
        MixtureOfExperts.Output out = moe.route(x);
        assertShape(out.output(), 2, 5, 4);
        assertValues(out.output().reshape(10, 4), 1e-5, reference(moe, x.reshape(10, 4)));
        assertArrayEquals(new int[] {10, 10, 10}, out.tokensPerExpert());
        // every expert gets every token: f_i = 1/3, so the loss is 3 * sum_i P_i / 3 = 1
        assertEquals(1f, out.balanceLoss().item(), 1e-6);
    }

    @Test
    void topKRoutesEachTokenToItsKBestExperts() {
        MixtureOfExperts moe = new MixtureOfExperts(4, 8, 5, 2, new Rng(2));
        Tensor x = Tensor.randn(new Rng(3), 12, 4);
        MixtureOfExperts.Output out = moe.route(x);
        assertValues(out.output(), 1e-5, reference(moe, x));
        IntTensor chosen = LoadBalancing.topK(moe.gate.forward(x), 2);
        int[] counts = new int[5];
        for (int c : chosen.data()) {
            counts[c]++;
        }
        assertArrayEquals(counts, out.tokensPerExpert());
        assertEquals(24, Arrays.stream(out.tokensPerExpert()).sum());
        double[] u = moe.utilisation();
        for (int i = 0; i < 5; i++) {
            assertEquals(counts[i] / 24.0, u[i], 1e-12);
        }
        moe.resetUtilisation();
        assertEquals(0.0, moe.utilisation()[0]);
    }

    @Test
    void topKByHand() {
        Tensor logits = Tensor.of(new float[][] {{0.1f, 0.9f, -1f, 0.5f}, {2f, 2f, 1f, 3f}});
        IntTensor top2 = LoadBalancing.topK(logits, 2);
        assertArrayEquals(new int[] {1, 3}, top2.narrow(0, 0, 1).data());
        assertArrayEquals(new int[] {3, 0}, top2.narrow(0, 1, 1).data()); // tie between 0 and 1: the lower index
    }

    @Test
    void gradientsThroughGateExpertsAndInput() {
        MixtureOfExperts moe = new MixtureOfExperts(3, 4, 3, 2, new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 4, 3).requiresGrad(true);
        // routing is discrete: make sure no token is near a tie between its 2nd and 3rd expert,
        // where a finite-difference step could change the choice
        float[] h = moe.gate.forward(x).toArray();
        for (int t = 0; t < 4; t++) {
            float[] row = Arrays.copyOfRange(h, 3 * t, 3 * t + 3);
            Arrays.sort(row);
            assertTrue(row[1] - row[0] > 0.05f, "token " + t + " is near a routing tie");
        }
        Linear first = (Linear) ((dev.gradbook.nn.Sequential) moe.expert(0)).children().get("0");
        GradCheck.Report r = GradCheck.check(in -> moe.forward(in[0]), x, moe.gate.weight, first.weight, first.bias);
        assertTrue(r.passed(), r.toString());
        GradCheck.Report lossCheck = GradCheck.check(in -> moe.route(in[0]).balanceLoss(), x, moe.gate.weight);
        assertTrue(lossCheck.passed(), lossCheck.toString());
    }

    @Test
    void balancingLossIsOneForUniformRouting() {
        // 4 tokens e_0..e_3, gate = 2 I: token t prefers expert t (f_i = 1/4), and by symmetry
        // each expert's mean probability is P_i = (e^2 + 3) / (4 (e^2 + 3)) = 1/4
        List<Layer> experts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            experts.add(new Linear(4, 4, new Rng(i)));
        }
        MixtureOfExperts moe = new MixtureOfExperts(4, experts, 1, new Rng(0));
        try (var noGrad = Autograd.noGrad()) {
            moe.gate.weight.copyInPlace(Tensor.eye(4).mul(2f));
        }
        MixtureOfExperts.Output out = moe.route(Tensor.eye(4));
        assertArrayEquals(new int[] {1, 1, 1, 1}, out.tokensPerExpert());
        assertEquals(1f, out.balanceLoss().item(), 1e-6);
        // top-1 with a single expert chosen: the gate value is 1, so the output is the expert's output
        assertValues(out.output().narrow(0, 2, 1), 1e-6, experts.get(2).forward(Tensor.eye(4).narrow(0, 2, 1)).toArray());
    }

    @Test
    void balancingLossByHandWhenOneExpertTakesEverything() {
        // two tokens with logits (ln 3, 0): p = (3/4, 1/4) for both, both routed to expert 0
        // f = (1, 0), P = (3/4, 1/4): loss = 2 * (1 * 3/4 + 0 * 1/4) = 1.5
        Tensor probs = Tensor.of(new float[][] {{0.75f, 0.25f}, {0.75f, 0.25f}}).requiresGrad(true);
        Tensor loss = LoadBalancing.loss(probs, IntTensor.of(new int[] {0, 0}, 2, 1));
        assertEquals(1.5f, loss.item(), 1e-6);
        // d loss / d p_t0 = N f_0 / n = 2 * 1 / 2 = 1, d loss / d p_t1 = 0
        loss.backward();
        assertNotNull(probs.grad());
        assertValues(probs.grad(), 1e-6, 1, 0, 1, 0);
    }
}
