package dev.gradbook.examples.language.sentiment;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.recurrent.LSTM;

/**
 * A sequence classifier: embed the words, read them in order with an LSTM, classify from the
 * last hidden state. Sentences are padded on the left, so the last step is always the last real
 * word and the state has seen the whole sentence.
 * <pre>
 *   x = E[ids]                  (B, T, C)
 *   h_1..h_T = LSTM(x)          (B, T, H)
 *   logits = h_T W + b          (B, 2)
 * </pre>
 */
public final class LstmClassifier extends Module {
    private final Embedding embedding;
    private final LSTM lstm;
    private final Linear head;

    public LstmClassifier(int vocab, int channels, int hidden, Rng rng) {
        this.embedding = child("embedding", new Embedding(vocab, channels, rng));
        this.lstm = child("lstm", new LSTM(channels, hidden, rng));
        this.head = child("head", new Linear(hidden, 2, rng));
    }

    /** {@code ids (B, T)} -> logits {@code (B, 2)}. */
    public Tensor forward(IntTensor ids) {
        Tensor x = embedding.forward(ids);                       // (B, T, C)
        Tensor h = lstm.forward(x).output();                     // (B, T, H)
        return head.forward(h.select(1, h.size(1) - 1));         // (B, 2)
    }
}
