package dev.gradbook.examples.llm.finetune;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.llm.BaseModel;
import dev.gradbook.examples.llm.finetune.SyntheticTasks.Example;
import dev.gradbook.transformer.data.InstructionTemplate;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstructionDatasetTest {
    private static final CharTokenizer CHARS = BaseModel.tokenizer();
    private static final InstructionTemplate TEMPLATE = new InstructionTemplate("", "Q: ", "\nA: ");

    @Test
    void onlyTheResponseAndItsEndMarkAreTargets() {
        Example shortOne = new Example("upper", "ab", "Up ab", "AB");
        Example longOne = new Example("upper", "abcd", "Up abcd", "ABCD");
        InstructionDataset data = new InstructionDataset(List.of(shortOne, longOne), TEMPLATE, CHARS, 64);
        InstructionDataset.Batch batch = data.batch(new int[] {0, 1});

        // written out by hand: "Q: Up abcd\nA: ABCD\n" is 19 characters, so T = 18
        int t = "Q: Up abcd\nA: ABCD".length();
        assertEquals(t, batch.inputs().size(1));
        assertEquals(3 + 5, batch.responseTokens(), "AB\n and ABCD\n");
        int[] y = batch.targets().data();
        int[] x = batch.inputs().data();
        // row 0: "Q: Up ab\nA: " is 12 characters; position 11 (the space after A:) predicts 'A'
        for (int p = 0; p < t; p++) {
            int expected = switch (p) {
                case 11 -> CHARS.encode("A")[0];
                case 12 -> CHARS.encode("B")[0];
                case 13 -> CHARS.encode("\n")[0];
                default -> InstructionDataset.IGNORE;
            };
            assertEquals(expected, y[p], "row 0, position " + p);
        }
        assertEquals("Q: Up ab\nA: AB", CHARS.decode(java.util.Arrays.copyOfRange(x, 0, 14)));
        // row 1 counts from position 13 ("Q: Up abcd\nA: " is 14 characters)
        assertEquals(InstructionDataset.IGNORE, y[t + 12]);
        assertEquals("ABCD\n", CHARS.decode(java.util.Arrays.copyOfRange(y, t + 13, t + 18)));
    }

    @Test
    void maskedLossIsTheMeanOverResponseCharactersOnly() {
        Example e = new Example("upper", "ab", "Up ab", "AB");
        InstructionDataset data = new InstructionDataset(List.of(e), TEMPLATE, CHARS, 64);
        InstructionDataset.Batch batch = data.batch(new int[] {0});
        Gpt gpt = new Gpt(GptConfig.tiny(CHARS.vocabSize()).withBlockSize(32), new Rng(3));
        double masked = gpt.loss(batch.inputs(), batch.targets()).item();
        // independently: -log softmax at the three counted positions, in doubles
        float[] logits = gpt.forward(batch.inputs()).data();
        int v = CHARS.vocabSize();
        double sum = 0;
        int[] y = batch.targets().data();
        for (int p = 0; p < y.length; p++) {
            if (y[p] == InstructionDataset.IGNORE) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, logits[p * v + k]);
            }
            double z = 0;
            for (int k = 0; k < v; k++) {
                z += Math.exp(logits[p * v + k] - max);
            }
            sum += -(logits[p * v + y[p]] - max - Math.log(z));
        }
        assertEquals(sum / 3, masked, 1e-5);
    }

    @Test
    void sampledBatchesDependOnTheGeneratorOnly() {
        List<Example> examples = new SyntheticTasks(List.of("bleak", "calm", "kind"), 0, new Rng(1)).clean("upper", 20);
        InstructionDataset data = new InstructionDataset(examples, TEMPLATE, CHARS, 64);
        assertEquals(20, data.size());
        assertEquals(java.util.Arrays.toString(data.sample(4, new Rng(9)).inputs().data()),
                java.util.Arrays.toString(data.sample(4, new Rng(9)).inputs().data()));
    }

    @Test
    void anExampleLongerThanTheContextIsRejectedByName() {
        Example e = new Example("upper", "ab", "Up ab", "AB");
        IllegalArgumentException err = assertThrows(IllegalArgumentException.class,
                () -> new InstructionDataset(List.of(e), TEMPLATE, CHARS, 8));
        assertTrue(err.getMessage().contains("Up ab"), err.getMessage());
    }

    @Test
    void cleanExamplesOfOneTaskAreRight() {
        SyntheticTasks tasks = new SyntheticTasks(List.of("bleak", "calm"), 0, new Rng(2));
        for (String task : SyntheticTasks.tasks()) {
            for (Example e : tasks.clean(task, 10)) {
                assertEquals(task, e.task());
                assertEquals(SyntheticTasks.answer(task, e.input()), e.response());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> tasks.clean("dance", 1));
    }
}
