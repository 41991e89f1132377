package dev.gradbook.examples.language;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.plot.PlotTest;
import dev.gradbook.transformer.gpt.Gpt;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptChapterTest {
    @Test
    void quickRunLearnsTheSonnetsAndSamplesFromItsCheckpoint() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("gpt");
        double uniform = run.result().get("uniform_loss");
        double val = run.result().get("val_loss");
        // a uniform guess over the sonnets' characters costs ln(V) ~ 4.1 nats; the quick run reaches ~2.25
        assertTrue(run.result().get("initial_loss") > uniform - 0.3, "starts near the uniform guess");
        assertTrue(val < 2.8, "validation loss " + val + " should fall below 2.8");
        assertEquals(Math.exp(val), run.result().get("val_perplexity"), 1e-6);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("loss.png")) > 10);
        // the bigram baseline on the same split: better than a uniform guess, and printed beside the walk through the block
        double bigram = run.result().get("bigram_val_loss");
        assertTrue(bigram > 1.5 && bigram < uniform - 1, "bigram baseline " + bigram);
        // what the transformer adds: context beyond the previous character (2.25 against 2.39 at seed 42)
        assertTrue(val < bigram - 0.05, "transformer " + val + " should beat the bigram model " + bigram);
        assertTrue(run.output().contains("see attention") && run.output().contains("see positional-encoding"));
        assertTrue(Files.size(run.outDir().resolve("gpt.safetensors")) > 10_000);
        // the checkpoint describes itself: the model and its tokenizer come back without the chapter
        var loaded = Gpt.loadWithTokenizer(run.outDir().resolve("gpt.safetensors"));
        assertTrue(loaded.tokenizer().vocabSize() > 30, "the sonnets' characters");
        assertEquals("Shall I compare thee", loaded.tokenizer().decode(loaded.tokenizer().encode("Shall I compare thee")));
        assertEquals("250", loaded.metadata().get("step"));

        // --sample reloads the checkpoint and writes text again, with the same characters as the corpus
        ChapterRunner.Run sample = ChapterRunner.quick("gpt", Map.of("sample", "true", "tokens", "80"));
        assertTrue(sample.output().contains("loaded "), sample.output());
        assertEquals(81, sample.result().get("sample_characters"), "prompt + 80 generated characters");

        // model options are checked before any work: 3 heads cannot split 64 channels
        ChapterRunner.Cli bad = ChapterRunner.main("run", "gpt", "--quick", "--heads", "3", "--out",
                run.outDir().resolve("bad").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--heads 3") && bad.err().contains("--embd 64"), bad.err());
    }
}
