package dev.gradbook.transformer.seq2seq;

/**
 * The shape of a {@link Seq2SeqTransformer}, named as in Vaswani et al. (2017), table 3.
 *
 * @param srcVocab       source token ids
 * @param tgtVocab       target token ids
 * @param dModel         channels per position
 * @param nHead          attention heads ({@code h}); {@code dModel} must be divisible by it
 * @param encoderLayers  encoder layers ({@code N})
 * @param decoderLayers  decoder layers ({@code N})
 * @param dFF            width of the feed-forward hidden layer
 * @param dropout        {@code P_drop}, on every sub-layer output and on the embeddings
 * @param maxLen         the longest source or target sequence the positional table covers
 * @param padId          the padding id in both vocabularies: masked out of attention and the loss
 */
public record Seq2SeqConfig(int srcVocab, int tgtVocab, int dModel, int nHead, int encoderLayers,
                            int decoderLayers, int dFF, float dropout, int maxLen, int padId) {
    public Seq2SeqConfig {
        if (srcVocab <= 0 || tgtVocab <= 0 || dModel <= 0 || nHead <= 0 || encoderLayers <= 0 || decoderLayers <= 0
                || dFF <= 0 || maxLen <= 0) {
            throw new IllegalArgumentException("Seq2SeqConfig: sizes must be positive, got " + this);
        }
        if (dModel % nHead != 0 || dModel % 2 != 0) {
            throw new IllegalArgumentException("Seq2SeqConfig: dModel=" + dModel + " must be even and divisible by nHead="
                    + nHead);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("Seq2SeqConfig: dropout must be in [0, 1), got " + dropout);
        }
    }

    /** For tests and toy tasks: dModel 32, 4 heads, 2 + 2 layers, dFF 64, no dropout, 32 positions, pad 0. */
    public static Seq2SeqConfig tiny(int vocab) {
        return new Seq2SeqConfig(vocab, vocab, 32, 4, 2, 2, 64, 0f, 32, 0);
    }

    /** The paper's base model: dModel 512, 8 heads, 6 + 6 layers, dFF 2048, P_drop 0.1. */
    public static Seq2SeqConfig base(int srcVocab, int tgtVocab) {
        return new Seq2SeqConfig(srcVocab, tgtVocab, 512, 8, 6, 6, 2048, 0.1f, 512, 0);
    }
}
