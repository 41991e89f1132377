package dev.gradbook.transformer.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.StepArena;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.ParamGroups;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Training a fused GPT inside {@link StepArena} scopes gives the same bits as training without. */
class StepArenaTrainingTest {

    private static Gpt model() {
        Gpt gpt = new Gpt(GptConfig.tiny(17).withBlockSize(8).withNEmbd(16).withNHead(2).withNLayer(2), new Rng(5));
        Fused.apply(gpt);
        return gpt;
    }

    @Test
    void aFusedGptTrainsToTheSameBitsWithAnArena() {
        Gpt plain = model();
        Gpt pooled = model();
        AdamW plainOpt = new AdamW(ParamGroups.decayMatricesOnly(plain.namedParameters(), 0.1f), AdamW.Config.defaults());
        AdamW pooledOpt = new AdamW(ParamGroups.decayMatricesOnly(pooled.namedParameters(), 0.1f), AdamW.Config.defaults());
        StepArena arena = new StepArena();
        Rng rng = new Rng(9);
        for (int step = 0; step < 4; step++) {
            IntTensor x = IntTensor.randint(rng, 0, 17, 3, 8);
            IntTensor y = IntTensor.randint(rng, 0, 17, 3, 8);
            float expected = train(plain, plainOpt, x, y);
            float got;
            try (var scope = arena.open()) {
                got = train(pooled, pooledOpt, x, y);
            }
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), "loss at step " + step);
        }
        Map<String, Tensor> want = plain.namedParameters();
        pooled.namedParameters().forEach((name, p) -> {
            assertArrayEquals(want.get(name).data(), p.data(), name);
            assertArrayEquals(want.get(name).grad().data(), p.grad().data(), name + " gradient");
        });
    }

    private static float train(Gpt model, AdamW optimizer, IntTensor x, IntTensor y) {
        Tensor loss = model.loss(x, y);
        optimizer.zeroGrad();
        loss.backward();
        GradClip.clipByNorm(model.parameters(), 1f);
        optimizer.step();
        return loss.item();
    }
}
