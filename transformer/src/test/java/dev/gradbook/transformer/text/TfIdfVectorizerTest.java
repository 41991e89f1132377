package dev.gradbook.transformer.text;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TfIdfVectorizerTest {
    private static final List<List<String>> DOCS = List.of(
            List.of("cheap", "pills", "cheap"),
            List.of("meeting", "at", "noon"),
            List.of("cheap", "meeting"));

    @Test
    void countsAndWeightsFollowTheFormulas() {
        TfIdfVectorizer v = TfIdfVectorizer.fit(DOCS, 1, 100);
        assertEquals(List.of("at", "cheap", "meeting", "noon", "pills"), v.vocabulary());
        // idf = ln((1 + 3) / (1 + df)) + 1
        assertEquals(Math.log(4.0 / 3) + 1, v.idf("cheap"), 1e-12);
        assertEquals(Math.log(4.0 / 2) + 1, v.idf("pills"), 1e-12);
        Tensor counts = v.counts(DOCS);
        assertEquals(2f, counts.get(0, 1));
        assertEquals(1f, counts.get(0, 4));
        // document 0: (0, 2 idf(cheap), 0, 0, idf(pills)) / its length
        double a = 2 * (Math.log(4.0 / 3) + 1);
        double b = Math.log(2) + 1;
        double norm = Math.sqrt(a * a + b * b);
        Tensor x = v.transform(DOCS);
        assertEquals(a / norm, x.get(0, 1), 1e-6);
        assertEquals(b / norm, x.get(0, 4), 1e-6);
        assertEquals(0f, x.get(0, 0));
        // every row has unit length
        for (int d = 0; d < 3; d++) {
            assertEquals(1.0, x.select(0, d).square().sum().item(), 1e-5);
        }
    }

    @Test
    void minDfAndMaxFeaturesShrinkTheVocabulary() {
        assertEquals(List.of("cheap", "meeting"), TfIdfVectorizer.fit(DOCS, 2, 100).vocabulary());
        // the most widespread term first, ties alphabetical: cheap (2), meeting (2), then at (1)
        assertEquals(List.of("at", "cheap", "meeting"), TfIdfVectorizer.fit(DOCS, 1, 3).vocabulary());
        Tensor unknown = TfIdfVectorizer.fit(DOCS, 2, 100).transform(List.of(List.of("zebra")));
        assertEquals(0.0, unknown.abs().sum().item());
        assertThrows(IllegalArgumentException.class, () -> TfIdfVectorizer.fit(DOCS, 4, 100));
        assertThrows(IllegalArgumentException.class, () -> TfIdfVectorizer.fit(List.of(), 1, 10));
        assertThrows(IllegalArgumentException.class, () -> TfIdfVectorizer.fit(DOCS, 1, 10).idf("zebra"));
    }
}
