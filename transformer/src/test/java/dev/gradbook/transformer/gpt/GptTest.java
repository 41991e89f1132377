package dev.gradbook.transformer.gpt;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Kernels;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.fused.FusedLayerNorm;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GptTest {

    @Test
    void logitsHaveOneScorePerVocabularyEntry() {
        Gpt gpt = new Gpt(GptConfig.tiny(11), new Rng(1));
        IntTensor ids = IntTensor.randint(new Rng(2), 0, 11, 3, 7);
        TensorAssert.assertShape(gpt.forward(ids), 3, 7, 11);
        assertEquals(0, gpt.loss(ids, ids).dim());
    }

    @Test
    void changingFutureTokensNeverChangesEarlierLogits() {
        for (GptConfig config : new GptConfig[] {GptConfig.tiny(10), GptConfig.tiny(10).withRotary(true)}) {
            Gpt gpt = new Gpt(config, new Rng(3));
            IntTensor ids = IntTensor.randint(new Rng(4), 0, 10, 2, 12);
            Tensor logits = gpt.forward(ids);
            IntTensor changed = ids.copy();
            for (int t = 8; t < 12; t++) {
                changed.data()[t] = (ids.get(0, t) + 3) % 10;   // row 0, position t
            }
            Tensor after = gpt.forward(changed);
            TensorAssert.assertBitsEqual(logits.narrow(1, 0, 8), after.narrow(1, 0, 8));
            TensorAssert.assertBitsEqual(logits.select(0, 1), after.select(0, 1));   // the other sequence
            assertFalse(logits.narrow(1, 8, 4).allClose(after.narrow(1, 8, 4), 1e-4f, 1e-5f));
        }
    }

    @Test
    void sequencesLongerThanTheContextNameTheLimit() {
        Gpt gpt = new Gpt(GptConfig.tiny(10), new Rng(5));
        var e = assertThrows(IllegalArgumentException.class, () -> gpt.forward(IntTensor.zeros(1, 17)));
        assertTrue(e.getMessage().contains("blockSize=16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpt.forward(IntTensor.of(new int[] {10, 10, 10, 10}, 1, 4)));   // id out of range
        assertThrows(IllegalArgumentException.class, () -> gpt.forward(IntTensor.zeros(4)));
    }

    @Test
    void theTiedHeadSharesTheEmbeddingTensor() {
        GptConfig tied = GptConfig.tiny(50);
        Gpt gpt = new Gpt(tied, new Rng(6));
        assertNull(gpt.children().get("head"));
        Gpt untied = new Gpt(tied.withTiedHead(false), new Rng(6));
        assertEquals(50L * 32, untied.parameterCount() - gpt.parameterCount());
        // the logits are the final vectors against the embedding rows: the gradient reaches wte from both ends
        IntTensor ids = IntTensor.of(new int[] {1, 2, 3}, 1, 3);
        gpt.loss(ids, IntTensor.of(new int[] {7, 8, 9}, 1, 3)).backward();
        Tensor g = gpt.tokenEmbedding().weight.grad();
        for (int c = 0; c < 32; c++) {
            assertTrue(g.get(7, c) != 0 || g.get(8, c) != 0);   // rows 7-9 are only ever targets
        }
    }

    @Test
    void gpt2InitialisationScalesTheResidualProjections() {
        GptConfig config = GptConfig.tiny(64).withNEmbd(64).withNLayer(8);
        Gpt gpt = new Gpt(config, new Rng(7));
        Map<String, Tensor> p = gpt.namedParameters();
        assertEquals(0.02, std(p.get("blocks.0.attn.query.weight")), 0.002);
        assertEquals(0.02, std(p.get("blocks.3.mlp.fc.weight")), 0.001);
        assertEquals(0.02 / 4, std(p.get("blocks.5.attn.proj.weight")), 0.0005);   // sqrt(2 * 8) = 4
        assertEquals(0.02 / 4, std(p.get("blocks.7.mlp.proj.weight")), 0.0003);
        assertEquals(0.02, std(p.get("wte.weight")), 0.002);
        assertEquals(0f, p.get("blocks.0.attn.query.bias").abs().max().item());
    }

    private static double std(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v * v;
        }
        return Math.sqrt(s / t.numel());
    }

    @Test
    void fusedTwinsComputeTheSameModelAsTheReadableModules() {
        GptConfig config = GptConfig.tiny(13);
        Gpt fused = new Gpt(config, new Rng(20));
        Gpt composed = new Gpt(config, new Rng(20));
        Set<String> names = composed.stateDict().keySet();
        List<String> replaced = Fused.apply(fused);
        assertEquals(List.of("blocks.0.ln1", "blocks.0.attn.attention", "blocks.0.ln2", "blocks.0.mlp.act",
                "blocks.1.ln1", "blocks.1.attn.attention", "blocks.1.ln2", "blocks.1.mlp.act", "lnF"), replaced);
        assertEquals(names, fused.stateDict().keySet(), "the twins keep the parameter names");
        assertTrue(fused.namedModules().get("lnF") instanceof FusedLayerNorm);
        assertEquals(List.of(), Fused.apply(fused), "applying twice changes nothing");
        IntTensor ids = IntTensor.randint(new Rng(21), 0, 13, 2, 9);
        IntTensor targets = IntTensor.randint(new Rng(22), 0, 13, 2, 9);
        TensorAssert.assertClose(composed.forward(ids), fused.forward(ids), 1e-4);
        Tensor lossFused = fused.loss(ids, targets);
        Tensor lossComposed = composed.loss(ids, targets);
        assertEquals(lossComposed.item(), lossFused.item(), 1e-5);
        lossFused.backward();
        lossComposed.backward();
        Map<String, Tensor> a = fused.namedParameters();
        composed.namedParameters().forEach((name, p) -> TensorAssert.assertClose(p.grad(), a.get(name).grad(), 1e-4));
    }

    @Test
    void twoThreadsComputeTheSameBitsAsOne() {
        assumeTrue(Kernels.simdAvailable(), "needs the SIMD kernel");
        GptConfig config = GptConfig.tiny(13).withBlockSize(64).withNEmbd(64);
        IntTensor ids = IntTensor.randint(new Rng(31), 0, 13, 8, 64);
        IntTensor targets = IntTensor.randint(new Rng(32), 0, 13, 8, 64);
        Map<String, float[]> grads = new java.util.HashMap<>();
        float[] losses = new float[2];
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Kernels.setDefault(Kernels.simd(threads));
                Gpt gpt = new Gpt(config, new Rng(30));
                Fused.apply(gpt);
                Tensor loss = gpt.loss(ids, targets);
                loss.backward();
                losses[threads - 1] = loss.item();
                for (Map.Entry<String, Tensor> e : gpt.namedParameters().entrySet()) {
                    float[] g = e.getValue().grad().data();
                    if (threads == 1) {
                        grads.put(e.getKey(), g.clone());
                    } else {
                        assertArrayEquals(grads.get(e.getKey()), g, 0f, e.getKey());
                    }
                }
            }
        } finally {
            Kernels.setDefault(null);
        }
        assertEquals(losses[0], losses[1], 0f);
    }

    @Test
    void overfitsOneBatch() {
        Gpt gpt = new Gpt(GptConfig.tiny(16), new Rng(8));
        Rng rng = new Rng(9);
        IntTensor batch = IntTensor.randint(rng, 0, 16, 4, 17);
        IntTensor ids = batch.narrow(1, 0, 16);
        IntTensor targets = batch.narrow(1, 1, 16);
        AdamW opt = new AdamW(gpt.namedParameters(), AdamW.Config.defaults().withLr(1e-2f).withBetas(0.9f, 0.99f).withWeightDecay(0f));
        float first = Float.NaN;
        float loss = Float.NaN;
        for (int step = 0; step < 300 && !(loss < 0.02f); step++) {
            opt.zeroGrad();
            Tensor l = gpt.loss(ids, targets);
            l.backward();
            opt.step();
            loss = l.item();
            first = step == 0 ? loss : first;
        }
        assertEquals(Math.log(16), first, 0.3);   // starts near uniform guessing
        assertTrue(loss < 0.05f, "loss after training: " + loss);
    }

    @Test
    void projectionsCanBeReplacedByNameAsLoraDoes() {
        Gpt gpt = new Gpt(GptConfig.tiny(10), new Rng(10));
        IntTensor ids = IntTensor.randint(new Rng(11), 0, 10, 1, 5);
        Tensor before = gpt.forward(ids);
        Map<String, Module> modules = gpt.namedModules();
        for (String name : new String[] {"blocks.0.attn.query", "blocks.0.attn.key", "blocks.0.attn.value",
            "blocks.0.attn.proj", "blocks.1.mlp.fc", "blocks.1.mlp.proj"}) {
            assertTrue(modules.get(name) instanceof Linear, name);
            int dot = name.lastIndexOf('.');
            Module parent = modules.get(name.substring(0, dot));
            Linear original = (Linear) modules.get(name);
            Layer wrapper = new Layer() {
                @Override
                public Tensor forward(Tensor x) {
                    return original.forward(x);
                }
            };
            parent.replaceChild(name.substring(dot + 1), wrapper);
            assertSame(wrapper, gpt.namedModules().get(name));
        }
        TensorAssert.assertBitsEqual(before, gpt.forward(ids));   // same weights, so same logits
        Module mlp = modules.get("blocks.1.mlp");
        mlp.replaceChild("fc", new Layer() {
            @Override
            public Tensor forward(Tensor x) {
                return Tensor.zeros(x.size(0), x.size(1), 128);
            }
        });
        assertFalse(before.allClose(gpt.forward(ids), 1e-4f, 1e-5f), "the replacement must be used");
    }

    @Test
    void untiedHeadCanBeReplacedToo() {
        Gpt gpt = new Gpt(GptConfig.tiny(10).withTiedHead(false), new Rng(12));
        IntTensor ids = IntTensor.randint(new Rng(13), 0, 10, 1, 5);
        gpt.replaceChild("head", new Layer() {
            @Override
            public Tensor forward(Tensor x) {
                return Tensor.ones(x.size(0), x.size(1), 10);
            }
        });
        TensorAssert.assertClose(Tensor.ones(1, 5, 10), gpt.forward(ids), 0);
    }
}
