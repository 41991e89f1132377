package dev.gradbook.examples.llm.finetune;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.llm.finetune.SyntheticTasks.Example;
import dev.gradbook.transformer.data.InstructionTemplate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fine-tuning chapters' task data: clean examples from {@link SyntheticTasks}'s templates, with
 * the words split in two so that the test asks about words the model never saw in training
 * (accuracy then measures the skill, not memorised answers). Used by full-finetune, lora and qlora.
 */
public final class FinetuneTasks {
    private static final String[] LEXICONS = {"lexicon/opinion_positive.txt", "lexicon/opinion_negative.txt"};

    /** Training and test examples; the test's words are not in training. */
    public record Split(List<Example> train, List<Example> test) {
    }

    private FinetuneTasks() {
    }

    /**
     * Alpaca's headers without its preamble (Taori et al. 2023): the base model's context is 128
     * characters, and the 105-character preamble would leave no room for the task.
     */
    public static InstructionTemplate template() {
        return new InstructionTemplate("", "### Instruction:\n", "\n### Response:\n");
    }

    /** The opinion lexicon's plain lower-case words of {@code minLength..maxLength} letters, in file order. */
    public static List<String> words(ChapterContext ctx, int minLength, int maxLength) throws IOException {
        List<String> words = new ArrayList<>();
        String pattern = "[a-z]{" + minLength + "," + maxLength + "}";
        for (String file : LEXICONS) {
            try (var in = new BufferedReader(new InputStreamReader(ctx.openData(file), StandardCharsets.UTF_8))) {
                in.lines().filter(w -> w.matches(pattern)).forEach(words::add);
            }
        }
        return words;
    }

    /**
     * {@code trainPerTask} and {@code testPerTask} clean examples of each task; a fifth of the
     * words (every fifth, after a shuffle by {@code seed}) is kept for the test.
     */
    public static Split build(List<String> words, List<String> tasks, int trainPerTask, int testPerTask, long seed) {
        if (words.size() < 10) {
            throw new IllegalArgumentException("FinetuneTasks: " + words.size() + " words are too few to split");
        }
        Rng rng = new Rng(seed);
        List<String> shuffled = new ArrayList<>(words);
        for (int i = shuffled.size() - 1; i > 0; i--) {             // Fisher-Yates
            int j = rng.nextInt(i + 1);
            shuffled.set(j, shuffled.set(i, shuffled.get(j)));
        }
        List<String> trainWords = new ArrayList<>();
        List<String> testWords = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            (i % 5 == 0 ? testWords : trainWords).add(shuffled.get(i));
        }
        SyntheticTasks trainTasks = new SyntheticTasks(trainWords, 0, rng.split());
        SyntheticTasks testTasks = new SyntheticTasks(testWords, 0, rng.split());
        List<Example> train = new ArrayList<>();
        List<Example> test = new ArrayList<>();
        for (String task : tasks) {
            train.addAll(trainTasks.clean(task, trainPerTask));
            test.addAll(testTasks.clean(task, testPerTask));
        }
        return new Split(train, test);
    }
}
