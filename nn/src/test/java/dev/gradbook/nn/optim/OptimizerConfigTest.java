package dev.gradbook.nn.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each {@code with...} method changes its own component and nothing else, and validates. */
class OptimizerConfigTest {
    @Test
    void adamFamily() {
        assertEquals(new AdamW.Config(1e-3f, 0.9f, 0.99f, 1e-8f, 0.1f),
                AdamW.Config.defaults().withLr(1e-3f).withBetas(0.9f, 0.99f).withWeightDecay(0.1f));
        assertEquals(new AdamW.Config(2e-3f, 0.8f, 0.95f, 1e-6f, 0f),
                AdamW.Config.defaults().withEps(1e-6f).withWeightDecay(0f).withBetas(0.8f, 0.95f).withLr(2e-3f));
        assertEquals(new Adam.Config(1e-3f, 0.9f, 0.999f, 1e-8f, 0.2f, true),
                Adam.Config.defaults().withAmsgrad(true).withWeightDecay(0.2f));
        assertEquals(new Adam.Config(5e-4f, 0.5f, 0.9f, 1e-7f, 0f, false),
                Adam.Config.defaults().withLr(5e-4f).withBetas(0.5f, 0.9f).withEps(1e-7f));
        assertEquals(new LAMB.Config(1e-2f, 0.85f, 0.9f, 1e-5f, 0.3f),
                LAMB.Config.defaults().withLr(1e-2f).withBetas(0.85f, 0.9f).withEps(1e-5f).withWeightDecay(0.3f));
        assertThrows(IllegalArgumentException.class, () -> AdamW.Config.defaults().withBetas(0.9f, 1f));
        assertThrows(IllegalArgumentException.class, () -> Adam.Config.defaults().withWeightDecay(-1f));
    }

    @Test
    void sgdRmspropAdagrad() {
        assertEquals(new SGD.Config(0.1f, 0.9f, 0f, 0.01f, true),
                SGD.Config.defaults().withLr(0.1f).withMomentum(0.9f).withWeightDecay(0.01f).withNesterov(true));
        assertEquals(new SGD.Config(0.1f, 0.9f, 0.5f, 0f, false),
                SGD.Config.defaults().withLr(0.1f).withMomentum(0.9f).withDampening(0.5f));
        assertEquals(new RMSprop.Config(1e-3f, 0.9f, 1e-6f, 0.1f, 0.5f), RMSprop.Config.defaults().withLr(1e-3f)
                .withAlpha(0.9f).withEps(1e-6f).withWeightDecay(0.1f).withMomentum(0.5f));
        assertEquals(new Adagrad.Config(0.5f, 0.1f, 0.2f, 1e-8f), Adagrad.Config.defaults().withLr(0.5f)
                .withLrDecay(0.1f).withWeightDecay(0.2f).withEps(1e-8f));
        assertThrows(IllegalArgumentException.class, () -> SGD.Config.defaults().withNesterov(true));  // needs momentum
        assertThrows(IllegalArgumentException.class, () -> RMSprop.Config.defaults().withMomentum(1f));
    }
}
