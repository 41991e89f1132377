package dev.gradbook.transformer.bert;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * BERT's masking rule for the masked-language-model task (Devlin et al. 2019, section 3.1,
 * "Task #1: Masked LM", and appendix A.1): choose {@code selectProb} (15%) of the ordinary
 * tokens at random; the model must predict each chosen token from its context. Of the chosen
 * positions, 80% are replaced by [MASK], 10% by a random ordinary token and 10% left unchanged,
 * so that the model cannot rely on [MASK] marking the positions that matter (the token never
 * appears when fine-tuning).
 *
 * <p>The targets hold the original token at chosen positions and {@link #IGNORE} everywhere
 * else, so the loss counts only the chosen ones. If no position of a batch was chosen, one is
 * chosen anyway, so that the loss is always defined.
 *
 * @param selectProb  fraction of ordinary tokens to predict (0.15)
 * @param maskId      the [MASK] id
 * @param vocabSize   ids for random replacements are drawn from {@code [0, vocabSize)}, minus the special ones
 * @param specialIds  ids never chosen nor used as replacements ([PAD], [CLS], [SEP], [MASK])
 */
public record MlmMasking(float selectProb, int maskId, int vocabSize, int[] specialIds) {
    /** The target of positions that do not count (PyTorch's default ignore index). */
    public static final int IGNORE = -100;

    /** The corrupted inputs fed to the model and the targets it must predict, both {@code (B, T)}. */
    public record Masked(IntTensor inputs, IntTensor targets) {
    }

    /** BERT's rule with 15% for the special ids of {@code config}. */
    public static MlmMasking of(BertConfig config) {
        return new MlmMasking(0.15f, config.maskId(), config.vocabSize(), config.specialIds());
    }

    /** Applies the rule to {@code ids (B, T)}, drawing every choice from {@code rng}. */
    public Masked apply(IntTensor ids, Rng rng) {
        int[] in = ids.toArray();
        int[] target = new int[in.length];
        java.util.Arrays.fill(target, IGNORE);
        int chosen = 0;
        for (int i = 0; i < in.length; i++) {
            if (!isSpecial(in[i]) && rng.nextFloat() < selectProb) {
                corrupt(in, target, i, rng);
                chosen++;
            }
        }
        if (chosen == 0) {
            int[] ordinary = java.util.stream.IntStream.range(0, in.length).filter(i -> !isSpecial(in[i])).toArray();
            if (ordinary.length > 0) {
                corrupt(in, target, ordinary[rng.nextInt(ordinary.length)], rng);
            }
        }
        return new Masked(IntTensor.wrap(in, ids.shape()), IntTensor.wrap(target, ids.shape()));
    }

    /** Position {@code i} becomes a target: 80% [MASK], 10% a random token, 10% unchanged. */
    private void corrupt(int[] in, int[] target, int i, Rng rng) {
        target[i] = in[i];
        float r = rng.nextFloat();
        if (r < 0.8f) {
            in[i] = maskId;
        } else if (r < 0.9f) {
            in[i] = randomOrdinaryToken(rng);
        }
    }

    private int randomOrdinaryToken(Rng rng) {
        int id;
        do {
            id = rng.nextInt(vocabSize);
        } while (isSpecial(id));
        return id;
    }

    private boolean isSpecial(int id) {
        for (int s : specialIds) {
            if (s == id) {
                return true;
            }
        }
        return false;
    }
}
