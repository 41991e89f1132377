package dev.gradbook.transformer.alignment;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

/**
 * A batch of prompt + response token sequences, the unit that reward models, DPO and PPO score.
 * Row {@code b} of {@code tokens (B, L)} is prompt {@code b} followed by response {@code b}, then
 * padding (id 0) up to the longest row; {@code responseMask (B, L)} is 1 on the response's tokens
 * and 0 on the prompt and the padding.
 *
 * <p>A causal language model predicts token {@code t + 1} from tokens {@code 0..t}, so the
 * log-probability of the response uses {@link #inputs()} {@code = tokens[:, 0..L-1)},
 * {@link #targets()} {@code = tokens[:, 1..L)} and {@link #targetMask()}
 * {@code = responseMask[:, 1..L)} ({@link SequenceLogProb#of(dev.gradbook.transformer.gpt.Gpt, ResponseBatch)}).
 * A reward model reads the whole sequence, {@code tokens} with {@code responseMask}.
 */
public record ResponseBatch(IntTensor tokens, Tensor responseMask) {
    public ResponseBatch {
        if (tokens.dim() != 2 || !java.util.Arrays.equals(tokens.shape(), responseMask.shape()) || tokens.size(1) < 2) {
            throw new IllegalArgumentException("ResponseBatch: tokens and responseMask must both be (B, L) with L >= 2, got "
                    + java.util.Arrays.toString(tokens.shape()) + " and " + java.util.Arrays.toString(responseMask.shape()));
        }
    }

    /**
     * Joins {@code prompts[b]} and {@code responses[b]} row by row, padding with 0 to the longest
     * row. Every prompt needs at least one token (the first response token must be predicted from
     * something) and every response at least one.
     */
    public static ResponseBatch of(int[][] prompts, int[][] responses) {
        if (prompts.length == 0 || prompts.length != responses.length) {
            throw new IllegalArgumentException("ResponseBatch.of: need as many prompts as responses (at least one), got "
                    + prompts.length + " and " + responses.length);
        }
        int b = prompts.length;
        int length = 0;
        for (int i = 0; i < b; i++) {
            if (prompts[i].length == 0 || responses[i].length == 0) {
                throw new IllegalArgumentException("ResponseBatch.of: row " + i + " has an empty "
                        + (prompts[i].length == 0 ? "prompt" : "response"));
            }
            length = Math.max(length, prompts[i].length + responses[i].length);
        }
        int[] ids = new int[b * length];
        float[] mask = new float[b * length];
        for (int i = 0; i < b; i++) {
            System.arraycopy(prompts[i], 0, ids, i * length, prompts[i].length);
            System.arraycopy(responses[i], 0, ids, i * length + prompts[i].length, responses[i].length);
            for (int t = 0; t < responses[i].length; t++) {
                mask[i * length + prompts[i].length + t] = 1f;
            }
        }
        return new ResponseBatch(IntTensor.wrap(ids, b, length), Tensor.of(mask, b, length));
    }

    /** Rows in the batch, B. */
    public int size() {
        return tokens.size(0);
    }

    /** {@code tokens[:, 0..L-1)}: what the model reads, {@code (B, L - 1)}. */
    public IntTensor inputs() {
        return tokens.narrow(1, 0, tokens.size(1) - 1);
    }

    /** {@code tokens[:, 1..L)}: the token each input position predicts, {@code (B, L - 1)}. */
    public IntTensor targets() {
        return tokens.narrow(1, 1, tokens.size(1) - 1);
    }

    /** {@code responseMask[:, 1..L)}: 1 where the predicted token belongs to the response, {@code (B, L - 1)}. */
    public Tensor targetMask() {
        return responseMask.narrow(1, 1, responseMask.size(1) - 1);
    }
}
