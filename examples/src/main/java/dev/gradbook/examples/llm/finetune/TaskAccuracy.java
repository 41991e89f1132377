package dev.gradbook.examples.llm.finetune;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.llm.finetune.SyntheticTasks.Example;
import dev.gradbook.transformer.data.InstructionTemplate;
import dev.gradbook.transformer.gpt.GenerationConfig;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on instruction examples: it answers each prompt greedily (the likeliest character
 * each time, so the score is a property of the model, not of a random draw) until it writes the
 * end mark {@link InstructionDataset#END} or runs out of room, and the answer counts if it equals
 * the expected response exactly.
 *
 * <p>Exactly means character for character. SQuAD's exact match
 * ({@link dev.gradbook.nn.metrics.ExactMatch}) first lower-cases and drops punctuation, which is
 * right for free-text answers but would accept "abc" for "Write abc in capital letters.": here
 * the case and every character are the task. The full-finetune, lora and qlora chapters score
 * with this class.
 */
public final class TaskAccuracy {
    /** One answered example. */
    public record Answer(Example example, String answer, boolean correct) {
    }

    /** Accuracy per task (in first-seen order), over all, and every answer. */
    public record Report(Map<String, Double> perTask, double overall, List<Answer> answers) {
        /** The accuracy of {@code task}; 0 if it was not scored. */
        public double of(String task) {
            return perTask.getOrDefault(task, 0.0);
        }

        /** The first {@code n} answers of {@code task}. */
        public List<Answer> samples(String task, int n) {
            return answers.stream().filter(a -> a.example().task().equals(task)).limit(n).toList();
        }
    }

    private final Tokenizer tokenizer;
    private final InstructionTemplate template;
    private final int endId;

    public TaskAccuracy(Tokenizer tokenizer, InstructionTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.endId = tokenizer.encode(InstructionDataset.END)[0];
    }

    /**
     * The model's greedy answer to {@code instruction}: at most {@code maxTokens} characters, the
     * end mark not included.
     */
    public String answer(Gpt model, String instruction, int maxTokens) {
        int[] prompt = tokenizer.encode(template.prompt(instruction));
        int room = Math.min(maxTokens + 1, model.config.blockSize() - prompt.length);
        if (room < 1) {
            throw new IllegalArgumentException("TaskAccuracy: the prompt of \"" + instruction + "\" fills the context of "
                    + model.config.blockSize());
        }
        int[] out = model.generate(prompt, GenerationConfig.greedy(room).withStopToken(endId), new Rng(0));
        int end = out.length;
        if (end > prompt.length && out[end - 1] == endId) {
            end--;
        }
        return tokenizer.decode(Arrays.copyOfRange(out, prompt.length, end));
    }

    /** Answers every example (at most {@code maxTokens} characters each) and scores it. */
    public Report evaluate(Gpt model, List<Example> examples, int maxTokens) {
        List<Answer> answers = new ArrayList<>();
        Map<String, int[]> counts = new LinkedHashMap<>();     // task -> {correct, total}
        for (Example e : examples) {
            String a = answer(model, e.instruction(), maxTokens);
            boolean correct = a.equals(e.response());
            answers.add(new Answer(e, a, correct));
            int[] c = counts.computeIfAbsent(e.task(), k -> new int[2]);
            c[0] += correct ? 1 : 0;
            c[1]++;
        }
        Map<String, Double> perTask = new LinkedHashMap<>();
        int correct = 0;
        for (Map.Entry<String, int[]> c : counts.entrySet()) {
            perTask.put(c.getKey(), (double) c.getValue()[0] / c.getValue()[1]);
            correct += c.getValue()[0];
        }
        return new Report(perTask, examples.isEmpty() ? 0 : (double) correct / examples.size(), answers);
    }
}
