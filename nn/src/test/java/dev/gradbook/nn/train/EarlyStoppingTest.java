package dev.gradbook.nn.train;

import dev.gradbook.core.Rng;
import dev.gradbook.nn.Linear;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {

    @Test
    void stopsAfterPatienceEvaluationsWithoutARealImprovement() {
        var early = new EarlyStopping(2, 0.01, EarlyStopping.Mode.MIN);
        assertFalse(early.update(0, 1.0));    // first value: best
        assertFalse(early.update(1, 0.8));    // better by 0.2: best
        assertFalse(early.update(2, 0.795));  // better by only 0.005 < minDelta: bad 1
        assertFalse(early.improved());
        assertTrue(early.update(3, 0.9));     // bad 2 = patience: stop
        assertEquals(1, early.bestStep());
        assertEquals(0.8, early.bestValue());
        assertEquals(2, early.badEvaluations());
    }

    @Test
    void anImprovementResetsTheCount() {
        var early = new EarlyStopping(2);
        early.update(0, 1.0);
        early.update(1, 1.1);                 // bad 1
        assertFalse(early.update(2, 0.5));    // improves: bad 0
        assertEquals(0, early.badEvaluations());
        assertFalse(early.update(3, 0.6));
        assertTrue(early.update(4, 0.7));
        assertEquals(2, early.bestStep());
    }

    @Test
    void maxModeForAccuracies() {
        var early = new EarlyStopping(1, 0, EarlyStopping.Mode.MAX);
        early.update(10, 0.7);
        assertFalse(early.update(20, 0.9));
        assertTrue(early.update(30, 0.9));    // equal is not better
        assertEquals(20, early.bestStep());
    }

    @Test
    void nanNeverImproves() {
        var early = new EarlyStopping(3);
        early.update(0, Double.NaN);
        assertEquals(-1, early.bestStep());
        early.update(1, 2.0);
        early.update(2, Double.NaN);
        assertEquals(1, early.bestStep());
        assertEquals(1, early.badEvaluations());
    }

    @Test
    void patienceZeroStopsAtTheFirstSetback() {
        var early = new EarlyStopping(0);
        assertFalse(early.update(0, 1.0));
        assertTrue(early.update(1, 1.0));
    }

    @Test
    void keepsACopyOfTheBestStateAndRestoresIt() {
        Linear model = new Linear(3, 2, new Rng(5));
        var early = new EarlyStopping(5);
        assertNull(early.bestState());
        assertThrows(IllegalStateException.class, () -> early.restoreBest(model));
        early.update(0, 1.0, model);
        float[] best = model.weight.toArray();
        model.weight.data()[0] += 10f;          // training moves on...
        early.update(1, 2.0, model);            // ...but gets worse: the copy is not replaced
        assertEquals(best[0], early.bestState().get("weight").data()[0]);
        early.restoreBest(model);
        assertArrayEquals(best, model.weight.data());
    }
}
