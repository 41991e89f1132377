package dev.gradbook.transformer.text;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word2vec's skip-gram with negative sampling (Mikolov et al. 2013, "Distributed Representations
 * of Words and Phrases and their Compositionality", sections 2.2 and 2.3). Every word {@code w}
 * has an input vector {@code v_w} and an output vector {@code v'_w}. For each word {@code w_I} of
 * the text and each word {@code w_O} within {@code window} places of it, the model should tell
 * the true pair from {@code k} "noise" words drawn from the unigram distribution raised to 3/4:
 * <pre>
 *   maximise  log sigma(v'_O · v_I) + sum_{i=1..k} log sigma(-v'_{n_i} · v_I),   n_i ~ U(w)^(3/4) / Z
 * </pre>
 * Words that occur in similar contexts end up with similar input vectors, which are the word
 * vectors ({@link #vectors}). As in the paper and its C code: frequent words are discarded with
 * probability {@code 1 - sqrt(t / f(w))} (subsampling, section 2.3), the window size is drawn
 * uniformly from 1 to {@code window} for each word, plain SGD with a learning rate falling
 * linearly to zero, input vectors start uniform in {@code +-0.5/d} and output vectors at zero.
 *
 * <p>The gradient is written out by hand ({@link #update}), as in the original: with
 * {@code g = label - sigma(v'_c · v_I)}, the loss {@code -log sigma(+-v'_c · v_I)} has gradient
 * {@code -g v'_c} for {@code v_I} and {@code -g v_I} for {@code v'_c}; the tests check it against
 * finite differences.
 */
public final class SkipGram {
    /**
     * @param dim       vector length {@code d}
     * @param window    the largest distance between a word and its context
     * @param negatives noise words per true pair ({@code k}; 5-20 for small data in the paper)
     * @param lr        starting learning rate (0.025 in word2vec)
     * @param epochs    passes over the text
     * @param subsample the threshold {@code t} (1e-3 to 1e-5; 0 keeps every word)
     * @param minCount  words seen fewer times are dropped from the vocabulary
     */
    public record Config(int dim, int window, int negatives, float lr, int epochs, double subsample, int minCount) {
        public Config {
            if (dim <= 0 || window <= 0 || negatives <= 0 || !(lr > 0) || epochs <= 0 || subsample < 0
                    || minCount <= 0) {
                throw new IllegalArgumentException("SkipGram.Config: sizes and lr must be positive, got " + this);
            }
        }
    }

    private static final int NOISE_TABLE = 1_000_000;

    private final Config config;
    private final List<String> vocabulary;
    private final long[] counts;
    final float[] in;
    final float[] out;
    private final int[] noise;

    /** A model with the vocabulary of {@code tokens} (words seen {@code minCount} times, most frequent first). */
    public SkipGram(List<String> tokens, Config config, Rng rng) {
        this.config = config;
        Map<String, Long> frequency = new HashMap<>();
        for (String t : tokens) {
            frequency.merge(t, 1L, Long::sum);
        }
        List<String> words = new ArrayList<>();
        frequency.forEach((w, c) -> {
            if (c >= config.minCount()) {
                words.add(w);
            }
        });
        words.sort((a, b) -> frequency.get(b).equals(frequency.get(a)) ? a.compareTo(b)
                : Long.compare(frequency.get(b), frequency.get(a)));
        if (words.isEmpty()) {
            throw new IllegalArgumentException("SkipGram: no word occurs " + config.minCount() + " times");
        }
        this.vocabulary = List.copyOf(words);
        this.counts = words.stream().mapToLong(frequency::get).toArray();
        int d = config.dim();
        this.in = new float[words.size() * d];
        this.out = new float[words.size() * d];
        for (int i = 0; i < in.length; i++) {
            in[i] = (rng.nextFloat() - 0.5f) / d;
        }
        this.noise = noiseTable(counts);
    }

    /** Unigram counts to the power 3/4, as a table to draw noise words from by a uniform index. */
    private static int[] noiseTable(long[] counts) {
        double total = 0;
        for (long c : counts) {
            total += Math.pow(c, 0.75);
        }
        int[] table = new int[NOISE_TABLE];
        int word = 0;
        double cumulative = Math.pow(counts[0], 0.75) / total;
        for (int i = 0; i < NOISE_TABLE; i++) {
            table[i] = word;
            if ((i + 1.0) / NOISE_TABLE > cumulative && word < counts.length - 1) {
                word++;
                cumulative += Math.pow(counts[word], 0.75) / total;
            }
        }
        return table;
    }

    /** Trains on {@code tokens} for {@code config.epochs()} passes; returns the mean loss of the last pass. */
    public double train(List<String> tokens, Rng rng, ProgressReporter progress) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            ids.put(vocabulary.get(i), i);
        }
        int[] text = tokens.stream().filter(ids::containsKey).mapToInt(ids::get).toArray();
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        long work = (long) config.epochs() * text.length;
        long done = 0;
        double lastLoss = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            double loss = 0;
            long pairs = 0;
            for (int t = 0; t < text.length; t++, done++) {
                int w = text[t];
                double f = (double) counts[w] / total;
                if (config.subsample() > 0 && rng.nextDouble() > Math.sqrt(config.subsample() / f)) {
                    continue;
                }
                float lr = (float) Math.max(config.lr() * 1e-4, config.lr() * (1 - (double) done / work));
                int b = 1 + rng.nextInt(config.window());
                for (int c = Math.max(0, t - b); c <= Math.min(text.length - 1, t + b); c++) {
                    if (c != t) {
                        loss += update(w, text[c], drawNoise(rng), lr);
                        pairs++;
                    }
                }
                if (progress != null && done % 4096 == 0) {
                    progress.update(done + 1, pairs == 0 ? 0 : loss / pairs);
                }
            }
            lastLoss = pairs == 0 ? 0 : loss / pairs;
        }
        if (progress != null) {
            progress.update(work, lastLoss);
            progress.finish();
        }
        return lastLoss;
    }

    private int[] drawNoise(Rng rng) {
        int[] n = new int[config.negatives()];
        for (int i = 0; i < n.length; i++) {
            n[i] = noise[rng.nextInt(NOISE_TABLE)];
        }
        return n;
    }

    /**
     * One SGD step on the pair {@code (center, context)} and the noise words: returns the loss
     * {@code -log sigma(v'_O · v_I) - sum log sigma(-v'_n · v_I)} before the step.
     */
    double update(int center, int context, int[] noiseWords, float lr) {
        int d = config.dim();
        int ci = center * d;
        float[] gradIn = new float[d];
        double loss = 0;
        for (int k = -1; k < noiseWords.length; k++) {
            int target = k < 0 ? context : noiseWords[k];
            float label = k < 0 ? 1 : 0;
            int oi = target * d;
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += (double) in[ci + j] * out[oi + j];
            }
            double sigma = 1 / (1 + Math.exp(-dot));
            loss -= Math.log(label == 1 ? Math.max(sigma, 1e-12) : Math.max(1 - sigma, 1e-12));
            float g = (float) (label - sigma);                  // -dL/d(dot)
            for (int j = 0; j < d; j++) {
                gradIn[j] += g * out[oi + j];                   // -dL/dv_I, summed over targets
                out[oi + j] += lr * g * in[ci + j];             // v'_c -= lr dL/dv'_c
            }
        }
        for (int j = 0; j < d; j++) {
            in[ci + j] += lr * gradIn[j];                       // v_I -= lr dL/dv_I
        }
        return loss;
    }

    /** The input vectors, one row per vocabulary word. */
    public WordVectors vectors() {
        return new WordVectors(vocabulary, Tensor.wrap(in.clone(), vocabulary.size(), config.dim()));
    }

    /** The vocabulary, most frequent first. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** How often each vocabulary word occurs in the text the model was built from. */
    public long count(int id) {
        return counts[id];
    }
}
