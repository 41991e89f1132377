package dev.gradbook.examples.llm;

import dev.gradbook.examples.Main;
import dev.gradbook.transformer.ModelFile;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaseModelTest {
    @Test
    void shippedModelLoadsFastAndIsWhatItsMetadataSays() throws Exception {
        BaseModel.load();                                     // class loading and JIT warm-up, not the file
        long start = System.nanoTime();
        ModelFile.Loaded<Gpt> base = BaseModel.load();
        double ms = (System.nanoTime() - start) / 1e6;
        assertTrue(ms < 1000, "loading took " + ms + " ms");

        Gpt gpt = base.model();
        Map<String, String> meta = base.metadata();
        assertEquals(BaseModel.config(), gpt.config);
        assertEquals(96, gpt.config.vocabSize());
        CharTokenizer chars = (CharTokenizer) base.tokenizer();
        assertEquals("\n !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
                chars.vocabulary());
        assertEquals(String.valueOf(BaseModelTraining.STEPS), meta.get("steps"));
        assertEquals(String.valueOf(BaseModelTraining.SEED), meta.get("seed"));
        assertEquals(String.valueOf(BaseModelTraining.BATCH), meta.get("batch"));
        assertEquals(String.valueOf(BaseModelTraining.LR), meta.get("lr"));
        assertEquals(BaseModel.REMAKE_COMMAND, meta.get("remake_command"));

        byte[] corpus = corpusBytes();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(corpus));
        assertEquals(sha, meta.get("data_sha256"), "trained on this very file");

        // the validation loss, recomputed on the same held-out windows
        int[] ids = chars.encode(new String(corpus, StandardCharsets.UTF_8));
        double val = BaseModel.validationLoss(gpt, BaseModel.heldOut(ids));
        double stored = Double.parseDouble(meta.get("val_loss"));
        assertEquals(stored, val, 1e-4);
        assertTrue(stored < 1.9, "a well-trained base model: validation loss " + stored);
    }

    @Test
    void remakingGivesTheSameBytes(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        BaseModelTraining.make(a, 2, quiet);
        BaseModelTraining.make(b, 2, quiet);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        ModelFile.Loaded<Gpt> made = BaseModel.load(a);
        assertEquals("2", made.metadata().get("steps"));
        assertEquals(BaseModel.REMAKE_COMMAND + " --steps 2", made.metadata().get("remake_command"));
    }

    @Test
    void aMissingFileNamesItselfAndTheRemakeCommand(@TempDir Path dir) {
        Path nowhere = dir.resolve("base.safetensors");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BaseModel.load(nowhere));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(BaseModel.REMAKE_COMMAND), e.getMessage());
    }

    @Test
    void badRemakeOptionsAreUsageErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        assertEquals(2, Main.run(new String[] {"base-model", "--steps", "0"}, out, new PrintStream(err)));
        assertEquals(2, Main.run(new String[] {"base-model", "--lr", "1"}, out, new PrintStream(err)));
        assertEquals(2, Main.run(new String[] {"base-model", "--out", "/no/such/folder/x.safetensors"}, out,
                new PrintStream(err)));
        assertTrue(err.toString().contains("--steps must be a whole number"), err.toString());
    }

    private static byte[] corpusBytes() throws Exception {
        try (InputStream in = BaseModelTest.class.getResourceAsStream("/datasets/" + BaseModel.CORPUS)) {
            return in.readAllBytes();
        }
    }
}
