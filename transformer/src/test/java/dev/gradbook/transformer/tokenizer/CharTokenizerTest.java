package dev.gradbook.transformer.tokenizer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharTokenizerTest {
    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        CharTokenizer tok = new CharTokenizer("hello world");
        assertEquals(" dehlorw", tok.vocabulary());
        assertEquals(8, tok.vocabSize());
        // ' '=0 d=1 e=2 h=3 l=4 o=5 r=6 w=7
        assertArrayEquals(new int[] {3, 2, 4, 4, 5}, tok.encode("hello"));
        assertEquals("world hello", tok.decode(tok.encode("world hello")));
    }

    @Test
    void anEmojiOutsideTheBmpIsOneToken() {
        CharTokenizer tok = new CharTokenizer("a😀b");
        assertEquals(3, tok.vocabSize());
        assertArrayEquals(new int[] {0, 2, 1}, tok.encode("a😀b")); // 'a' < 'b' < U+1F600
        assertEquals("😀😀a", tok.decode(new int[] {2, 2, 0}));
    }

    @Test
    void unknownCharacterIsNamed() {
        CharTokenizer tok = new CharTokenizer("abc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.encode("abé"));
        assertTrue(e.getMessage().contains("'é' (U+00E9)") && e.getMessage().contains("index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> new CharTokenizer(""));
    }
}
