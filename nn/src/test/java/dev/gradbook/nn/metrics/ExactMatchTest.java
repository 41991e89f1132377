package dev.gradbook.nn.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExactMatchTest {
    @Test
    void normalisationFollowsSquad() {
        assertEquals("eiffel tower", ExactMatch.normalize("The Eiffel   Tower."));
        assertEquals("1889", ExactMatch.normalize(" 1889! "));
        assertEquals("cat sat on mat", ExactMatch.normalize("A cat sat on an... mat"));
        assertEquals("", ExactMatch.normalize("The."));
        // "theatre" is not an article: only whole words are removed
        assertEquals("theatre", ExactMatch.normalize("the Theatre"));
    }

    @Test
    void anyReferenceCountsAndTheMeanIsTheShare() {
        assertEquals(1.0, ExactMatch.score("Paris", List.of("London", "paris.")));
        assertEquals(0.0, ExactMatch.score("Paris, France", List.of("Paris")));
        assertEquals(2.0 / 3.0, ExactMatch.mean(List.of("42", "the answer", "no"),
                List.of(List.of("42"), List.of("Answer"), List.of("yes"))), 1e-12);
    }

    @Test
    void emptyOrMismatchedInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ExactMatch.score("x", List.of()));
        assertThrows(IllegalArgumentException.class, () -> ExactMatch.mean(List.of("x"), List.of()));
    }
}
