package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextCorpusTest {

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        TextCorpus corpus = new TextCorpus("hello world");
        assertEquals(" dehlorw", corpus.vocabulary());
        assertEquals(8, corpus.vocabSize());
        assertArrayEquals(new int[] {3, 2, 4, 4, 5}, corpus.encode("hello"));
        assertEquals("world", corpus.decode(corpus.encode("world")));
        assertEquals("led", corpus.decode(IntTensor.vector(4, 2, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> corpus.encode("hex"));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("position 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> corpus.decode(new int[] {8}));
    }

    @Test
    void charactersOutsideTheBasicPlaneAreOneToken() {
        TextCorpus corpus = new TextCorpus("a\uD83D\uDE00b"); // a, grinning face, b
        assertEquals(3, corpus.length());
        assertEquals(3, corpus.vocabSize());
        assertArrayEquals(new int[] {0, 2, 1}, corpus.ids());
        assertEquals("a\uD83D\uDE00b", corpus.decode(corpus.ids()));
    }

    @Test
    void splitCutsWithoutShuffling() {
        TextCorpus corpus = new TextCorpus("abcdefghij");
        TextCorpus.Split split = corpus.split(0.75); // floor(7.5) = 7
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, split.train().data());
        assertArrayEquals(new int[] {7, 8, 9}, split.val().data());
    }

    @Test
    void malformedUtf8IsAnErrorNamingTheSource() {
        byte[] bad = {'o', 'k', (byte) 0xC3}; // a two-byte sequence cut short
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextCorpus.read(new ByteArrayInputStream(bad), "broken.txt"));
        assertTrue(e.getMessage().startsWith("broken.txt: not valid UTF-8"), e.getMessage());
    }
}
