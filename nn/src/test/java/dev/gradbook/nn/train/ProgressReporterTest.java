package dev.gradbook.nn.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reporter on a fake clock, writing into a buffer. */
class ProgressReporterTest {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    private final long[] now = {0};

    private ProgressReporter reporter(long total, ProgressReporter.Mode mode) {
        return new ProgressReporter("train", total, out, mode, () -> now[0]);
    }

    private String printed() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesModePrintsAboutTenLinesAndASummary() {
        ProgressReporter p = reporter(100, ProgressReporter.Mode.LINES);
        for (int step = 1; step <= 100; step++) {
            now[0] += 100_000_000L;                    // 0.1 s per step, 32 items per step
            p.update(step, 1.0, 32);
        }
        String summary = p.finish();
        String[] lines = printed().split("\n");
        assertEquals(12, lines.length, printed());     // steps 1, 10, 20, ..., 100, then the summary
        assertEquals("train  50/100 (50%) | loss 1.0000 | 320 items/s | 0:05 elapsed, 0:05 left", lines[5]);
        assertEquals("train  done: 100 steps in 0:10 | loss 1.0000 | 320 items/s", summary);
        assertEquals(summary, lines[11]);
        assertFalse(printed().contains("\r"));
    }

    @Test
    void timeLeftFollowsTheCurrentSpeedNotTheWarmUp() {
        ProgressReporter p = reporter(1000, ProgressReporter.Mode.QUIET);
        now[0] += 9_000_000_000L;                                  // the first step also pays for the set-up
        p.update(1, 1.0);
        assertFalse(p.statusLine().contains("left"), "no estimate from the first step: " + p.statusLine());
        for (int step = 2; step <= 100; step++) {
            now[0] += step <= 10 ? 1_000_000_000L : 100_000_000L;   // JIT warm-up: the first 10 steps 10x slower
            p.update(step, 1.0);
        }
        // 900 steps left at 0.1 s: 1:30 (the average since the start, 0.28 s a step, would say 4:12)
        assertTrue(p.statusLine().endsWith("0:27 elapsed, 1:30 left"), p.statusLine());
    }

    @Test
    void terminalModeRedrawsOneLineAtMostTenTimesASecond() {
        ProgressReporter p = reporter(200, ProgressReporter.Mode.TERMINAL);
        for (int step = 1; step <= 200; step++) {
            now[0] += 10_000_000L;                     // 10 ms per step: 2 s in all
            p.update(step, 0.5);
        }
        p.finish();
        String s = printed();
        long redraws = s.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 20 && redraws <= 22, "redraws: " + redraws);   // 20 timed + the last step + summary
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), "only the summary ends a line");
        assertTrue(s.endsWith("\n") && s.stripTrailing().endsWith("| 100 steps/s"), s);   // padded over the longer status   // padded over the longer status
    }

    @Test
    void quietModePrintsNothingButStillSummarises() {
        ProgressReporter p = reporter(10, ProgressReporter.Mode.QUIET);
        for (int step = 1; step <= 10; step++) {
            now[0] += 1_000_000_000L;
            p.update(step, 2.0);
            p.log("a message");
        }
        String summary = p.finish();
        assertEquals("", printed());
        assertEquals("train  done: 10 steps in 0:10 | loss 2.0000 | 1.00 steps/s", summary);
    }

    @Test
    void smoothedLossIsABiasCorrectedMovingAverage() {
        ProgressReporter p = reporter(10, ProgressReporter.Mode.QUIET);
        p.update(1, 4.0);
        assertEquals(4.0, p.smoothedLoss(), 1e-12);               // 0.1 * 4 / (1 - 0.9)
        p.update(2, 2.0);
        assertEquals((0.9 * 0.1 * 4 + 0.1 * 2) / (1 - 0.81), p.smoothedLoss(), 1e-12);   // 2.947...
        assertEquals(2.0, p.lastLoss());
    }

    @Test
    void theQuietPropertySilencesTheDefaultMode() {
        String before = System.getProperty("gradbook.quiet");
        try {
            System.setProperty("gradbook.quiet", "true");
            assertEquals(ProgressReporter.Mode.QUIET, ProgressReporter.defaultMode());
        } finally {
            if (before == null) {
                System.clearProperty("gradbook.quiet");
            } else {
                System.setProperty("gradbook.quiet", before);
            }
        }
    }

    @Test
    void formats() {
        assertEquals("1:15", ProgressReporter.formatDuration(75.4));
        assertEquals("1:02:05", ProgressReporter.formatDuration(3725));
        assertEquals("5.2k", ProgressReporter.formatCount(5234));
        assertEquals("3.1M", ProgressReporter.formatCount(3.1e6));
        assertEquals("950", ProgressReporter.formatCount(950));
        assertEquals("NaN", ProgressReporter.formatLoss(Double.NaN));
    }
}
