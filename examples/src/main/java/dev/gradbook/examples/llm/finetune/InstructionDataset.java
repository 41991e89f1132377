package dev.gradbook.examples.llm.finetune;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.examples.llm.finetune.SyntheticTasks.Example;
import dev.gradbook.transformer.data.InstructionTemplate;
import dev.gradbook.transformer.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Instruction examples encoded for supervised fine-tuning, with the prompt masked out of the loss.
 * Each example becomes one sequence
 * <pre>
 *   text     ### Instruction:\nWrite abc in capital letters.\n### Response:\nABC\n
 *   input    the text without its last character
 *   target   the text shifted by one, with -100 (ignored) wherever the next character is still
 *            part of the prompt:   -100 -100 ... -100  A B C \n
 * </pre>
 * so the loss is the mean cross-entropy over the response and its end mark ({@value #END}) only.
 * Why mask the prompt: the prompt is given at inference, never generated, so learning to predict
 * it is wasted effort; and with prompts five to ten times longer than answers, an unmasked loss
 * would be mostly about copying template text (which the model learns in a few steps) and would
 * dilute the gradient of the answer, which is the task (Ouyang et al. 2022 and the Alpaca recipe
 * mask the prompt the same way). The end mark is a target, so the tuned model learns to stop.
 *
 * <p>A batch is as long as its longest sequence; shorter ones are padded at the end with the end
 * mark and ignored targets, which changes nothing for the real positions (attention is causal).
 * The full-finetune, lora and qlora chapters all train on this class, so their numbers compare.
 */
public final class InstructionDataset {
    /** The target id that {@code Gpt.loss} ignores. */
    public static final int IGNORE = -100;
    /** What ends every response: the model is trained to write it, and generation stops at it. */
    public static final String END = "\n";

    /** One encoded example: its ids and how many of them form the prompt. */
    private record Encoded(int[] ids, int promptLength) {
    }

    /** Inputs and targets {@code (B, T)}, and the number of targets that count (responses and end marks). */
    public record Batch(IntTensor inputs, IntTensor targets, int responseTokens) {
    }

    private final List<Encoded> encoded = new ArrayList<>();
    private final int padId;

    /**
     * Encodes {@code examples} with {@code template} and {@code tokenizer}; each rendered text plus
     * {@link #END} must fit in {@code blockSize + 1} tokens (the model sees all but the last).
     */
    public InstructionDataset(List<Example> examples, InstructionTemplate template, Tokenizer tokenizer, int blockSize) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("InstructionDataset: no examples");
        }
        this.padId = tokenizer.encode(END)[0];
        for (Example e : examples) {
            int[] prompt = tokenizer.encode(template.prompt(e.instruction()));
            int[] ids = tokenizer.encode(template.render(e.instruction(), e.response()) + END);
            if (ids.length - 1 > blockSize) {
                throw new IllegalArgumentException("InstructionDataset: \"" + e.instruction() + "\" with its response is "
                        + (ids.length - 1) + " tokens, longer than the model's context of " + blockSize);
            }
            encoded.add(new Encoded(ids, prompt.length));
        }
    }

    public int size() {
        return encoded.size();
    }

    /** A batch of {@code batchSize} examples drawn uniformly with replacement by {@code rng}. */
    public Batch sample(int batchSize, Rng rng) {
        int[] rows = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            rows[i] = rng.nextInt(encoded.size());
        }
        return batch(rows);
    }

    /** The batch of the examples at {@code rows}, in that order. */
    public Batch batch(int[] rows) {
        int t = 0;
        for (int r : rows) {
            t = Math.max(t, encoded.get(r).ids().length - 1);
        }
        int[] x = new int[rows.length * t];
        int[] y = new int[rows.length * t];
        java.util.Arrays.fill(x, padId);
        java.util.Arrays.fill(y, IGNORE);
        int counted = 0;
        for (int b = 0; b < rows.length; b++) {
            Encoded e = encoded.get(rows[b]);
            int n = e.ids().length - 1;
            System.arraycopy(e.ids(), 0, x, b * t, n);
            // position p predicts token p + 1; it counts once p + 1 is past the prompt
            for (int p = e.promptLength() - 1; p < n; p++) {
                y[b * t + p] = e.ids()[p + 1];
                counted++;
            }
        }
        return new Batch(IntTensor.wrap(x, rows.length, t), IntTensor.wrap(y, rows.length, t), counted);
    }
}
