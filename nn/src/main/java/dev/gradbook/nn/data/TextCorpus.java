package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A plain-text corpus with a character-level vocabulary, the set-up of char-RNN and of the
 * first nanoGPT example: every distinct character is a token, numbered in sorted order.
 *
 * <pre>{@code
 * TextCorpus corpus = TextCorpus.read(Path.of("data/text/tinyshakespeare.txt"));
 * corpus.vocabSize();                        // 65
 * int[] ids = corpus.encode("hii there");    // one id per character
 * corpus.decode(ids);                        // "hii there"
 * TextCorpus.Split parts = corpus.split(0.9);  // first 90% to train on, the rest to validate
 * }</pre>
 * "Character" means Unicode code point, so text outside the Basic Multilingual Plane (emoji)
 * still gets one id per character.
 */
public final class TextCorpus {
    private final String text;
    private final int[] vocabulary; // sorted distinct code points; a character's id is its position
    private final int[] ids;        // the whole text, encoded

    /** The encoded text cut in two: the first part to train on, the rest to validate. Ids as whole-number floats. */
    public record Split(IntTensor train, IntTensor val) {
    }

    /** A corpus of the given text, with the vocabulary of its distinct characters. */
    public TextCorpus(String text) {
        this.text = text;
        this.vocabulary = text.codePoints().distinct().sorted().toArray();
        this.ids = encode(text);
    }

    /** Reads a UTF-8 text file; malformed UTF-8 is an error naming the file. */
    public static TextCorpus read(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads a UTF-8 stream; {@code source} names it in errors. */
    public static TextCorpus read(InputStream in, String source) {
        try {
            byte[] bytes = in.readAllBytes();
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return new TextCorpus(text);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(source + ": not valid UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    public String text() {
        return text;
    }

    /** The number of characters (code points) in the corpus. */
    public int length() {
        return ids.length;
    }

    public int vocabSize() {
        return vocabulary.length;
    }

    /** The vocabulary as a string: every distinct character once, in sorted order (id order). */
    public String vocabulary() {
        return new String(vocabulary, 0, vocabulary.length);
    }

    /** The id of every character of {@code s}; a character not in the vocabulary is an error. */
    public int[] encode(String s) {
        int[] out = new int[s.codePointCount(0, s.length())];
        int i = 0;
        for (int offset = 0; offset < s.length(); ) {
            int c = s.codePointAt(offset);
            int id = Arrays.binarySearch(vocabulary, c);
            if (id < 0) {
                throw new IllegalArgumentException("TextCorpus.encode: character '" + Character.toString(c)
                        + "' (U+" + String.format("%04X", c) + ") at position " + i + " is not in the vocabulary");
            }
            out[i++] = id;
            offset += Character.charCount(c);
        }
        return out;
    }

    /** The characters with ids {@code ids}. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= vocabulary.length) {
                throw new IllegalArgumentException("TextCorpus.decode: id " + id + " is outside [0, "
                        + vocabulary.length + ")");
            }
            sb.appendCodePoint(vocabulary[id]);
        }
        return sb.toString();
    }

    /** The characters with the ids in {@code ids}, of any shape, row-major. */
    public String decode(IntTensor ids) {
        return decode(ids.data());
    }

    /** The whole corpus encoded (a copy). */
    public int[] ids() {
        return ids.clone();
    }

    /** The whole corpus encoded, as a tensor (length) of ids. */
    public IntTensor tensor() {
        return toTensor(0, ids.length);
    }

    /**
     * The first {@code floor(trainFraction * length)} characters for training, the rest for
     * validation: a cut, not a shuffle, so the validation text is unseen continuous prose.
     */
    public Split split(double trainFraction) {
        if (!(trainFraction >= 0 && trainFraction <= 1)) {
            throw new IllegalArgumentException("TextCorpus.split: the fraction must be in [0, 1], got " + trainFraction);
        }
        int cut = (int) (trainFraction * ids.length);
        return new Split(toTensor(0, cut), toTensor(cut, ids.length));
    }

    private IntTensor toTensor(int from, int to) {
        return IntTensor.of(Arrays.copyOfRange(ids, from, to));
    }
}
