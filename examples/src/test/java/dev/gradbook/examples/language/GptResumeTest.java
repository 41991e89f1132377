package dev.gradbook.examples.language;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.nn.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GPT run interrupted and resumed equals one that never stopped; a diverging run keeps the good checkpoint. */
class GptResumeTest {
    private static ChapterRunner.Cli gpt(Path out, String... args) {
        String[] all = new String[args.length + 9];
        System.arraycopy(new String[] {"run", "gpt", "--quick", "--out", out.toString(), "--tokens", "5",
                "--checkpoint-every", "7"}, 0, all, 0, 9);
        System.arraycopy(args, 0, all, 9, args.length);
        return ChapterRunner.main(all);
    }

    @Test
    void twentyPlusTwentyResumedStepsEqualFortyStraightBitForBit(@TempDir Path dir) throws Exception {
        ChapterRunner.Cli straight = gpt(dir.resolve("straight"), "--steps", "40");
        assertEquals(0, straight.code(), straight.err());
        ChapterRunner.Cli first = gpt(dir.resolve("resumed"), "--steps", "40", "--stop-after", "20");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("after step 20"), first.out());
        ChapterRunner.Cli second = gpt(dir.resolve("resumed"), "--steps", "40", "--resume");
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("resumed from") && second.out().contains("from step 21"), second.out());

        Map<String, Tensor> a = Safetensors.load(dir.resolve("straight/gpt.safetensors")).tensors();
        Map<String, Tensor> b = Safetensors.load(dir.resolve("resumed/gpt.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) { // weights and optimizer moments alike
            assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("straight/gpt.safetensors")),
                Files.readAllBytes(dir.resolve("resumed/gpt.safetensors")), "the same bytes");
        assertTrue(a.values().stream().anyMatch(t -> !Arrays.equals(t.data(), new float[t.numel()])));
    }

    @Test
    void aRunWhoseLossBecomesNaNExits1AndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        assertEquals(0, gpt(dir, "--steps", "3").code());
        byte[] good = Files.readAllBytes(dir.resolve("gpt.safetensors"));
        ChapterRunner.Cli diverged = gpt(dir, "--steps", "10", "--lr", "1e30");
        assertEquals(1, diverged.code(), diverged.err());
        assertTrue(diverged.err().contains("NaN") || diverged.err().contains("infinit"), diverged.err());
        assertTrue(diverged.err().contains("--lr"), diverged.err());
        assertArrayEquals(good, Files.readAllBytes(dir.resolve("gpt.safetensors")), "the good checkpoint is kept");
    }
}
