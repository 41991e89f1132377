package dev.gradbook.transformer.text;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordVectorsTest {
    // a toy space where "royal" and "female" are separate directions
    private static final String GLOVE = """
            king 1 1 0
            queen 1 0 1
            man 0 1 0.1
            woman 0 0.1 1
            apple -1 0 0
            """;

    private static WordVectors toy() throws Exception {
        return WordVectors.readGlove(new ByteArrayInputStream(GLOVE.getBytes(StandardCharsets.UTF_8)), "toy");
    }

    @Test
    void analogyIsVectorArithmeticExcludingTheInputs() throws Exception {
        WordVectors v = toy();
        assertEquals(3, v.dim());
        assertEquals("queen", v.analogy("king", "man", "woman"));
        assertEquals("king", v.analogy("queen", "woman", "man"));
    }

    @Test
    void nearestRanksByCosine() throws Exception {
        WordVectors v = toy();
        List<WordVectors.Neighbour> n = v.nearest("king", 4);
        assertEquals(4, n.size());
        // cos(king, man) = (0 + 1 + 0) / (sqrt 2 * sqrt 1.01), computed here in doubles
        double expected = 1 / (Math.sqrt(2) * Math.sqrt(1.01));
        assertEquals("man", n.get(0).word());
        assertEquals(expected, n.get(0).similarity(), 1e-6);
        assertEquals(expected, v.similarity("king", "man"), 1e-6);
        assertEquals("apple", n.get(3).word(), "the opposite direction comes last");
        for (int i = 1; i < n.size(); i++) {
            assertTrue(n.get(i - 1).similarity() >= n.get(i).similarity());
        }
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> WordVectors.readGlove(
                new ByteArrayInputStream("a 1 2\nb 1 x\n".getBytes(StandardCharsets.UTF_8)), "vec.txt"));
        assertTrue(e.getMessage().startsWith("vec.txt:2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WordVectors.readGlove(
                new ByteArrayInputStream("a 1 2\nb 1\n".getBytes(StandardCharsets.UTF_8)), "vec.txt"));
        assertTrue(e.getMessage().contains("vec.txt:2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WordVectors(List.of("a", "a"), Tensor.ones(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new WordVectors(List.of("a"), Tensor.ones(2, 2)));
    }
}
