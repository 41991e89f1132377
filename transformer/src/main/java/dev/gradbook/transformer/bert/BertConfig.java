package dev.gradbook.transformer.bert;

/**
 * The shape of a {@link BertEncoder} (Devlin et al. 2019, section 3) and its special token ids.
 *
 * @param vocabSize  token ids, special ones included
 * @param maxLen     positions in the learned position table (512 in BERT)
 * @param nLayer     encoder layers ({@code L})
 * @param nHead      attention heads ({@code A})
 * @param hidden     channels per position ({@code H}); the feed-forward layer is {@code 4H} wide
 * @param dropout    on embeddings, attention weights and sub-layer outputs (0.1 in BERT)
 * @param numClasses outputs of the classification head on the [CLS] position
 * @param padId      padding: masked out of attention, never chosen for masking
 * @param clsId      the [CLS] token that starts every sequence; its final vector feeds the classifier
 * @param sepId      the [SEP] token that ends a segment
 * @param maskId     the [MASK] token of masked-language modelling
 */
public record BertConfig(int vocabSize, int maxLen, int nLayer, int nHead, int hidden, float dropout, int numClasses,
                         int padId, int clsId, int sepId, int maskId) {
    public BertConfig {
        if (vocabSize <= 0 || maxLen <= 0 || nLayer <= 0 || nHead <= 0 || hidden <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("BertConfig: sizes must be positive, got " + this);
        }
        if (hidden % nHead != 0) {
            throw new IllegalArgumentException("BertConfig: hidden=" + hidden + " is not divisible by nHead=" + nHead);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("BertConfig: dropout must be in [0, 1), got " + dropout);
        }
    }

    /**
     * For tests and toy tasks: 2 layers, 4 heads, 32 channels, 32 positions, no dropout; ids 0-3
     * are [PAD], [CLS], [SEP], [MASK].
     */
    public static BertConfig tiny(int vocabSize, int numClasses) {
        return new BertConfig(vocabSize, 32, 2, 4, 32, 0f, numClasses, 0, 1, 2, 3);
    }

    /** BERT-base (110 M parameters with its 30522-token vocabulary): L 12, H 768, A 12, 512 positions. */
    public static BertConfig base(int vocabSize, int numClasses, int padId, int clsId, int sepId, int maskId) {
        return new BertConfig(vocabSize, 512, 12, 12, 768, 0.1f, numClasses, padId, clsId, sepId, maskId);
    }

    /** The ids that masking never touches. */
    public int[] specialIds() {
        return new int[] {padId, clsId, sepId, maskId};
    }
}
