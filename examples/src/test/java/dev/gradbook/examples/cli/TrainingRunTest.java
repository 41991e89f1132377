package dev.gradbook.examples.cli;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.io.Safetensors;
import dev.gradbook.nn.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints every N steps, on interruption and at --stop-after, never with NaN; resume restores the step. */
class TrainingRunTest {

    private static final class Trainer implements Chapter {
        public String id() {
            return "trainer";
        }

        public Part part() {
            return Part.FOUNDATIONS;
        }

        public String summary() {
            return "trainer";
        }

        public List<Option> options() {
            List<Option> all = new ArrayList<>(TrainingRun.options());
            all.add(Option.flag("resume", "resume"));
            return all;
        }

        public Result run(ChapterContext ctx) {
            return new Result();
        }
    }

    private static ChapterContext context(Path out, String... args) {
        Trainer chapter = new Trainer();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        return new ChapterContext(chapter, CommandLine.parse(chapter, all),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static String savedStep(Path file) {
        return Safetensors.load(file).metadata().get(TrainingRun.STEP);
    }

    @Test
    void savesEveryNStepsAndAtStopAfterThenStops(@TempDir Path dir) {
        Linear model = new Linear(3, 2, new Rng(1));
        SGD sgd = new SGD(model.namedParameters(), 0.1f);
        Path file = dir.resolve("ck.safetensors");
        try (TrainingRun run = new TrainingRun(context(dir, "--checkpoint-every", "10", "--stop-after", "25"), file,
                model, sgd, Map.of("what", "test"))) {
            for (int step = 1; step <= 24; step++) {
                assertFalse(run.afterStep(step, 1.0 / step));
                if (step == 9) {
                    assertFalse(Files.exists(file), "nothing due before step 10");
                }
                if (step == 10 || step == 20) {
                    assertEquals(Integer.toString(step), savedStep(file));
                }
            }
            assertTrue(run.afterStep(25, 0.04), "--stop-after 25 stops the loop");
            assertEquals("25", savedStep(file));
            assertEquals("test", Safetensors.load(file).metadata().get("what"));
        }
    }

    @Test
    void anInterruptSavesAtTheEndOfTheStepAndStops(@TempDir Path dir) {
        Linear model = new Linear(3, 2, new Rng(1));
        Path file = dir.resolve("ck.safetensors");
        try (TrainingRun run = new TrainingRun(context(dir), file, model, new SGD(model.namedParameters(), 0.1f),
                Map.of())) {
            assertFalse(run.afterStep(1, 1.0));
            run.requestInterrupt(); // what the Ctrl-C hook does
            assertTrue(run.afterStep(2, 0.9));
            assertEquals("2", savedStep(file));
        }
    }

    @Test
    void aNonFiniteLossOrWeightStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        Linear model = new Linear(3, 2, new Rng(1));
        Path file = dir.resolve("ck.safetensors");
        try (TrainingRun run = new TrainingRun(context(dir, "--checkpoint-every", "2"), file, model,
                new SGD(model.namedParameters(), 0.1f), Map.of())) {
            run.afterStep(1, 2.0);
            run.afterStep(2, 1.5);
            byte[] good = Files.readAllBytes(file);
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> run.afterStep(3, Double.NaN));
            assertTrue(e.getMessage().contains("NaN at step 3") && e.getMessage().contains("from step 2 is kept")
                    && e.getMessage().contains("--lr"), e.getMessage());
            assertThrows(ArithmeticException.class, () -> run.afterStep(3, Double.POSITIVE_INFINITY));
            try (var noGrad = Autograd.noGrad()) {
                model.weight.setInPlace(Float.POSITIVE_INFINITY, 0, 0);
            }
            e = assertThrows(ArithmeticException.class, () -> run.afterStep(4, 1.0));
            assertTrue(e.getMessage().contains("'weight'") && e.getMessage().contains("not saved"), e.getMessage());
            assertArrayEquals(good, Files.readAllBytes(file), "the step-2 checkpoint is untouched");
        }
    }

    @Test
    void resumeRestoresTheModelAndReturnsTheStep(@TempDir Path dir) {
        Path file = dir.resolve("ck.safetensors");
        Linear saved = new Linear(3, 2, new Rng(1));
        try (TrainingRun run = new TrainingRun(context(dir, "--stop-after", "7"), file, saved,
                new SGD(saved.namedParameters(), 0.1f), Map.of())) {
            run.afterStep(7, 1.0);
        }
        Linear fresh = new Linear(3, 2, new Rng(2));
        assertNotEquals(saved.weight.toString(), fresh.weight.toString());
        try (TrainingRun run = new TrainingRun(context(dir, "--resume"), file, fresh,
                new SGD(fresh.namedParameters(), 0.1f), Map.of())) {
            assertEquals(7, run.resume());
        }
        assertTrue(fresh.weight.allClose(saved.weight, 0f, 0f));
        try (TrainingRun run = new TrainingRun(context(dir.resolve("empty")), dir.resolve("empty/none.safetensors"),
                fresh, new SGD(fresh.namedParameters(), 0.1f), Map.of())) {
            assertTrue(assertThrows(IllegalArgumentException.class, run::resume).getMessage().contains("--resume"));
        }
    }

    @Test
    void stepGeneratorsDependOnSeedAndStepOnly() {
        assertEquals(TrainingRun.stepRng(42, 41).nextLong(), TrainingRun.stepRng(42, 41).nextLong());
        assertNotEquals(TrainingRun.stepRng(42, 41).nextLong(), TrainingRun.stepRng(42, 42).nextLong());
        assertNotEquals(TrainingRun.stepRng(42, 41).nextLong(), TrainingRun.stepRng(43, 41).nextLong());
        Tensor t = Tensor.rand(TrainingRun.stepRng(1, 1), 4);
        assertEquals(4, t.numel());
    }
}
