package dev.gradbook.examples.llm.finetune;

import dev.gradbook.examples.llm.finetune.SyntheticTasks.Example;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinetuneTasksTest {
    @Test
    void testWordsAreNeverTrainingWords() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            words.add("w" + Integer.toString(i, 26).replace('0', 'z'));
        }
        FinetuneTasks.Split split = FinetuneTasks.build(words, List.of("upper", "reverse"), 100, 30, 7);
        assertEquals(200, split.train().size());
        assertEquals(60, split.test().size());
        Set<String> trainWords = new HashSet<>();
        split.train().forEach(e -> trainWords.add(e.input()));
        for (Example e : split.test()) {
            assertTrue(!trainWords.contains(e.input()), e.input() + " is in both");
        }
        assertEquals(split.test().toString(), FinetuneTasks.build(words, List.of("upper", "reverse"), 100, 30, 7)
                .test().toString(), "the same seed, the same data");
    }

    @Test
    void theTemplateFitsTheBaseModelsContext() {
        String longest = FinetuneTasks.template().render("Please write the word abcdefg in capitals.", "ABCDEFG") + "\n";
        assertTrue(longest.length() <= 128, longest.length() + " characters");
    }
}
