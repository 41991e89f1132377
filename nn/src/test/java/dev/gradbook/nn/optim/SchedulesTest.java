package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each schedule's value at chosen steps, worked out by hand. */
class SchedulesTest {

    @Test
    void stepLrIsAStaircase() {
        var s = new StepLR(0.1f, 10, 0.5f);
        assertEquals(0.1f, s.at(0), 1e-9);
        assertEquals(0.1f, s.at(9), 1e-9);
        assertEquals(0.05f, s.at(10), 1e-9);
        assertEquals(0.025f, s.at(25), 1e-9);
    }

    @Test
    void exponentialLrMultipliesEveryStep() {
        var s = new ExponentialLR(1f, 0.9f);
        assertEquals(1f, s.at(0), 1e-7);
        assertEquals(0.81f, s.at(2), 1e-6);
        assertEquals(0.59049f, s.at(5), 1e-6);
    }

    @Test
    void cosineAnnealingHitsItsLandmarks() {
        var s = new CosineAnnealingLR(1f, 100, 0.1f);
        assertEquals(1f, s.at(0), 1e-7);
        assertEquals(0.55f, s.at(50), 1e-6);                                       // halfway: the mean
        assertEquals(0.1f + 0.9f * (1 + Math.cos(Math.PI / 4)) / 2, s.at(25), 1e-6); // 0.86820
        assertEquals(0.1f, s.at(100), 1e-7);
        assertEquals(0.55f, s.at(150), 1e-6);                                      // PyTorch's closed form rises again
    }

    @Test
    void warmupThenCosineThenFloor() {
        var s = new WarmupCosine(1e-3f, 1e-4f, 10, 110);
        assertEquals(1e-4f, s.at(0), 1e-9);          // (0 + 1) / 10 of the peak
        assertEquals(5e-4f, s.at(4), 1e-9);
        assertEquals(1e-3f, s.at(10), 1e-9);         // warmup done: the cosine starts at the peak
        assertEquals(5.5e-4f, s.at(60), 1e-9);       // halfway through the decay
        assertEquals(1e-4f, s.at(110), 1e-9);
        assertEquals(1e-4f, s.at(5000), 1e-9);       // stays at the floor
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1e-3f, 1e-4f, 10, 10));
    }

    @Test
    void applyToSetsTheRateForTheOptimizersNextStep() {
        Tensor p = Tensor.vector(1f).requiresGrad(true);
        SGD sgd = new SGD(Map.of("p", p), 123f);
        var schedule = new StepLR(1f, 1, 0.5f);
        float[] used = new float[3];
        for (int i = 0; i < 3; i++) {
            used[i] = schedule.applyTo(sgd);
            sgd.zeroGrad();
            p.sum().backward();
            sgd.step();
        }
        assertEquals(1f, used[0]);
        assertEquals(0.5f, used[1]);
        assertEquals(0.25f, used[2]);
        assertEquals(1f - 1f - 0.5f - 0.25f, p.item(), 1e-7);   // gradient 1 each step
    }
}
