package dev.gradbook.nn.io;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.Optimizer;
import dev.gradbook.nn.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad checkpoint is refused before anything changes: the model and the optimizer stay bit for bit as they were. */
class CheckpointValidationTest {
    @TempDir
    Path dir;

    private static MLP model(long seed) {
        return new MLP(new int[] {3, 5, 2}, ReLU::new, new Rng(seed));
    }

    private static void step(MLP model, Optimizer optimizer) {
        Rng rng = new Rng(3);
        optimizer.zeroGrad();
        Losses.mse(model.forward(Tensor.randn(rng, 4, 3)), Tensor.randn(rng, 4, 2)).backward();
        optimizer.step();
    }

    /** A model and an AdamW that has taken one step, so that both hold state worth protecting. */
    private record Target(MLP model, AdamW optimizer) {
        static Target make() {
            MLP m = CheckpointValidationTest.model(9);
            AdamW opt = new AdamW(m.namedParameters(), 0.02f);
            step(m, opt);
            return new Target(m, opt);
        }

        /** Every bit of the model's and the optimizer's state, and the optimizer's scalars. */
        String fingerprint() {
            StringBuilder sb = new StringBuilder();
            model.stateDict().forEach((k, t) -> sb.append(k).append(java.util.Arrays.toString(SafetensorsTest.bits(t))));
            Optimizer.State s = optimizer.stateDict();
            sb.append(s.kind()).append(s.step()).append(Float.floatToRawIntBits(s.learningRate()));
            s.slots().forEach((k, t) -> sb.append(k).append(java.util.Arrays.toString(SafetensorsTest.bits(t))));
            return sb.toString();
        }
    }

    /** A good AdamW checkpoint of another model, then edited by {@code edit}; returns the message of the refusal. */
    private String refusal(Consumer<Safetensors.Contents> edit) {
        MLP source = model(1);
        AdamW sourceOptimizer = new AdamW(source.namedParameters(), 0.01f);
        step(source, sourceOptimizer);
        step(source, sourceOptimizer);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, source, sourceOptimizer, Map.of("epoch", "2"));
        Safetensors.Contents c = Safetensors.load(file);
        Safetensors.Contents edited = new Safetensors.Contents(new LinkedHashMap<>(c.tensors()),
                new LinkedHashMap<>(c.intTensors()), new LinkedHashMap<>(c.metadata()));
        edit.accept(edited);
        Safetensors.save(file, edited);

        Target target = Target.make();
        String before = target.fingerprint();
        String message = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, target.model(), target.optimizer())).getMessage();
        assertTrue(message.startsWith("Checkpoint.load " + file + ": "), message);
        assertEquals(before, target.fingerprint(), "nothing changed: " + message);
        return message;
    }

    @Test
    void theUneditedCheckpointLoads() {
        // the control for the tests below: with no edit, the same load succeeds and changes the target
        MLP source = model(1);
        AdamW sourceOptimizer = new AdamW(source.namedParameters(), 0.01f);
        step(source, sourceOptimizer);
        step(source, sourceOptimizer);
        Path file = dir.resolve("good.safetensors");
        Checkpoint.save(file, source, sourceOptimizer, Map.of("epoch", "2"));
        Target target = Target.make();
        assertEquals(Map.of("epoch", "2"), Checkpoint.load(file, target.model(), target.optimizer()));
        assertEquals(2, target.optimizer().steps());
        assertEquals(0.01f, target.optimizer().learningRate());
        assertArrayEquals(source.stateDict().get("0.weight").data(), target.model().stateDict().get("0.weight").data());
    }

    @Test
    void anOptimizerOfAnotherKind() {
        MLP source = model(1);
        SGD sgd = new SGD(source.namedParameters(), SGD.Config.withMomentum(0.1f, 0.9f));
        step(source, sgd);
        Path file = dir.resolve("sgd.safetensors");
        Checkpoint.save(file, source, sgd, Map.of());
        Target target = Target.make();
        String before = target.fingerprint();
        String message = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, target.model(), target.optimizer())).getMessage();
        assertTrue(message.contains("saved by SGD, and this optimizer is AdamW"), message);
        assertEquals(before, target.fingerprint(), "the model was not overwritten");
    }

    @Test
    void aNegativeOrFractionalStep() {
        assertTrue(refusal(c -> c.metadata().put("optimizer.step", "-3")).endsWith("'optimizer.step' is '-3', not a non-negative integer"));
        assertTrue(refusal(c -> c.metadata().put("optimizer.step", "2.5")).contains("not a non-negative integer"));
        assertTrue(refusal(c -> c.metadata().put("optimizer.step", "99999999999999999999")).contains("not a non-negative integer"));
        assertTrue(refusal(c -> c.metadata().remove("optimizer.step")).contains("'optimizer.step' is '', not"));
    }

    @Test
    void aLearningRateThatIsNotFiniteOrIsNegative() {
        for (String lr : new String[] {"NaN", "Infinity", "1e999", "-0.01", "0x1p-3", " 0.1"}) {
            assertTrue(refusal(c -> c.metadata().put("optimizer.lr", lr)).contains("not a finite learning rate >= 0"), lr);
        }
    }

    @Test
    void slotsThatDoNotFitTheModel() {
        assertTrue(refusal(c -> c.tensors().put("optimizer.exp_avg.0.weight", Tensor.zeros(2, 2)))
                .contains("'exp_avg.0.weight' has shape [2, 2], parameter has [5, 3]"));
        assertTrue(refusal(c -> c.tensors().put("optimizer.exp_avg.nowhere", Tensor.zeros(1)))
                .contains("'exp_avg.nowhere' names no parameter"));
    }

    @Test
    void optimizerStateWithoutItsKind() {
        assertTrue(refusal(c -> c.metadata().remove("optimizer.kind")).contains("no 'optimizer.kind'"));
    }

    @Test
    void integerTensorsAreNotSilentlyIgnored() {
        assertTrue(refusal(c -> c.intTensors().put("num_batches_tracked", dev.gradbook.core.IntTensor.scalar(3)))
                .contains("holds integer tensors [num_batches_tracked]"));
    }

    @Test
    void aModelMismatchLeavesTheOptimizerAlone() {
        assertTrue(refusal(c -> c.tensors().put("0.bias", Tensor.zeros(7))).contains("shape"));
        assertTrue(refusal(c -> c.tensors().remove("0.bias")).contains("missing keys"));
    }
}
