package dev.gradbook.transformer;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.io.Checkpoint;
import dev.gradbook.nn.io.Safetensors;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.transformer.bert.BertConfig;
import dev.gradbook.transformer.bert.BertEncoder;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.seq2seq.Seq2SeqConfig;
import dev.gradbook.transformer.seq2seq.Seq2SeqTransformer;
import dev.gradbook.transformer.tokenizer.BpeTokenizer;
import dev.gradbook.transformer.tokenizer.CharTokenizer;
import dev.gradbook.transformer.tokenizer.Tokenizer;
import dev.gradbook.transformer.tokenizer.WordPieceTokenizer;
import dev.gradbook.transformer.tokenizer.WordPieceTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    private static final String TEXT = "To be, or not to be, that is the question: whether 'tis nobler in the mind";

    @TempDir
    Path dir;

    @Test
    void aGptComesBackWithItsShapeTokenizerAndMetadataFromTheFileAlone() {
        GptConfig config = GptConfig.tiny(30).withTiedHead(false).withRotary(true).withDropout(0.1f);
        Gpt gpt = new Gpt(config, new Rng(1));
        CharTokenizer chars = new CharTokenizer(TEXT);
        Path file = dir.resolve("gpt.safetensors");
        gpt.save(file, chars, Map.of("step", "400", "corpus", "shakespeare"));

        ModelFile.Loaded<Gpt> loaded = Gpt.loadWithTokenizer(file);
        assertEquals(config, loaded.model().config);
        assertSameWeights(gpt, loaded.model());
        assertEquals(Map.of("step", "400", "corpus", "shakespeare"), loaded.metadata());
        assertArrayEquals(chars.encode(TEXT), loaded.tokenizer().encode(TEXT));
        assertEquals(chars.vocabulary(), ((CharTokenizer) loaded.tokenizer()).vocabulary());

        IntTensor ids = IntTensor.randint(new Rng(2), 0, 30, 2, 9);
        gpt.eval();
        loaded.model().eval();
        TensorAssert.assertBitsEqual(gpt.forward(ids), loaded.model().forward(ids));
    }

    @Test
    void aBpeTokenizerTravelsWithTheModelAndNoTokenizerIsNull() {
        BpeTokenizer bpe = BpeTokenizer.train(TEXT.repeat(3), 280);
        Gpt gpt = new Gpt(GptConfig.tiny(bpe.vocabSize()), new Rng(3));
        Path file = dir.resolve("bpe.safetensors");
        gpt.save(file, bpe, Map.of());
        Tokenizer back = Gpt.loadWithTokenizer(file).tokenizer();
        assertEquals(bpe.merges(), ((BpeTokenizer) back).merges());
        assertArrayEquals(bpe.encode("whether the question"), back.encode("whether the question"));

        gpt.save(file);
        assertNull(Gpt.loadWithTokenizer(file).tokenizer());
        assertEquals(Map.of(), Gpt.loadWithTokenizer(file).metadata());
        assertSameWeights(gpt, Gpt.load(file));
    }

    @Test
    void theOtherSavedModelsDescribeThemselvesToo() {
        WordPieceTokenizer pieces = WordPieceTrainer.train(TEXT.repeat(3), 60);
        BertEncoder bert = new BertEncoder(BertConfig.tiny(pieces.vocabSize(), 3), new Rng(4));
        Path b = dir.resolve("bert.safetensors");
        bert.save(b, pieces, Map.of());
        ModelFile.Loaded<BertEncoder> bertBack = BertEncoder.loadWithTokenizer(b);
        assertEquals(bert.config, bertBack.model().config);
        assertSameWeights(bert, bertBack.model());
        assertEquals(pieces.vocabulary(), ((WordPieceTokenizer) bertBack.tokenizer()).vocabulary());
        assertArrayEquals(pieces.encode("whether the question"), bertBack.tokenizer().encode("whether the question"));

        Seq2SeqTransformer s2s = new Seq2SeqTransformer(new Seq2SeqConfig(20, 25, 16, 2, 1, 2, 24, 0f, 12, 0),
                new Rng(5));
        Path s = dir.resolve("s2s.safetensors");
        s2s.save(s, null, Map.of("task", "reverse"));
        ModelFile.Loaded<Seq2SeqTransformer> s2sBack = Seq2SeqTransformer.loadWithTokenizer(s);
        assertEquals(s2s.config, s2sBack.model().config);
        assertEquals("reverse", s2sBack.metadata().get("task"));
        assertSameWeights(s2s, s2sBack.model());

        var e = assertThrows(IllegalArgumentException.class, () -> Gpt.load(b));
        assertTrue(e.getMessage().contains("holds a BertEncoder, not a Gpt"), e.getMessage());
    }

    @Test
    void anOptimizersStateRidesAlongAndIsRestoredSeparately() {
        Gpt gpt = new Gpt(GptConfig.tiny(12), new Rng(6));
        AdamW adam = new AdamW(gpt.namedParameters(), 1e-3f);
        IntTensor ids = IntTensor.randint(new Rng(7), 0, 12, 2, 8);
        gpt.loss(ids, ids).backward();
        adam.step();
        Path file = dir.resolve("resume.safetensors");
        gpt.save(file, null, adam, Map.of("step", "1"));

        Gpt back = Gpt.load(file);                                  // the optimizer entries are not weights
        assertSameWeights(gpt, back);
        AdamW adamBack = new AdamW(back.namedParameters(), 1e-3f);
        Checkpoint.load(file, back, adamBack);
        assertEquals(adam.steps(), adamBack.steps());
    }

    @Test
    void badFilesAndReservedKeysAreNamed() {
        Gpt gpt = new Gpt(GptConfig.tiny(12), new Rng(8));
        Path file = dir.resolve("plain.safetensors");
        Safetensors.save(file, gpt.stateDict());
        var e = assertThrows(IllegalArgumentException.class, () -> Gpt.load(file));
        assertTrue(e.getMessage().contains("not a self-describing model file"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> gpt.save(dir.resolve("x.safetensors"), null, Map.of("gradbook.config", "{}")));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());

        Map<String, String> wrongShape = Map.of("gradbook.model", "Gpt", "gradbook.config",
                dev.gradbook.nn.io.ConfigJson.write(GptConfig.tiny(13)));
        Safetensors.save(file, gpt.stateDict(), wrongShape);
        e = assertThrows(IllegalArgumentException.class, () -> Gpt.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("wte.weight"), e.getMessage());
    }

    private static void assertSameWeights(Module expected, Module actual) {
        Map<String, Tensor> a = expected.stateDict();
        Map<String, Tensor> b = actual.stateDict();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> TensorAssert.assertBitsEqual(t, b.get(name)));
    }
}
