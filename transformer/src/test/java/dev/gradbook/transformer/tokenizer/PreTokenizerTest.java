package dev.gradbook.transformer.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PreTokenizerTest {
    @Test
    void splitsWordsNumbersPunctuationAndSpace() {
        assertEquals(List.of("Hello", ",", " world", "!", " 2024", "  ", " ok", "\n"),
                PreTokenizer.split("Hello, world! 2024   ok\n"));
        assertEquals(List.of("don", "'", "t", " Été", " 東京"), PreTokenizer.split("don't Été 東京"));
    }

    @Test
    void emojiSequencesStayTogether() {
        // woman technologist: U+1F469 U+200D U+1F4BB; heart with variation selector U+FE0F
        assertEquals(List.of("I", " \u2764\uFE0F", " \uD83D\uDC69\u200D\uD83D\uDCBB"),
                PreTokenizer.split("I \u2764\uFE0F \uD83D\uDC69\u200D\uD83D\uDCBB"));
    }

    @Test
    void chunksConcatenateToTheInput() {
        for (String s : new String[] {"", " ", "   ", "a  b", "\t\tx", "e\u0301t\u00E9", "1.5e-3", "x\u00A0y"}) {
            assertEquals(s, String.join("", PreTokenizer.split(s)), "'" + s + "'");
        }
    }
}
