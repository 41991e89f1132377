package dev.gradbook.examples.foundations;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CalculusChapterTest {
    @Test
    void quickRunAgreesWithAutogradAndDescendsRosenbrock() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("calculus");
        Result r = run.result();
        assertTrue(r.get("autograd_vs_numeric") < 1e-4, "autograd vs formula and central differences: "
                + r.get("autograd_vs_numeric"));
        double endDistance = Math.hypot(r.get("momentum_end_x") - 1, r.get("momentum_end_y") - 1);
        assertTrue(endDistance < 0.05, "momentum should end within 0.05 of (1, 1), ended " + endDistance + " away");
        assertTrue(r.get("gd_distance") > r.get("momentum_distance"), "plain descent crawls along the valley");

        // truncation then rounding: the central difference is best at an interior h near 1e-5 in double
        double bestH = r.get("central_double_best_log10_h");
        assertTrue(bestH <= -4 && bestH >= -7, "best central h 1e" + bestH);
        double best = r.get("central_double_best_error");
        assertTrue(r.get("central_double_error_h1e-1") > 1000 * best, "truncation error dominates at large h");
        assertTrue(r.get("central_double_error_h1e-13") > 1000 * best, "rounding error dominates at tiny h");
        double forwardH = r.get("forward_double_best_log10_h");
        assertTrue(forwardH <= -7 && forwardH >= -9, "forward difference best near sqrt(eps) = 1e-8, got 1e" + forwardH);
        double floatH = r.get("central_float_best_log10_h");
        assertTrue(floatH >= -4 && floatH <= -1, "float32 central difference best near 1e-2, got 1e" + floatH);

        for (String png : new String[] {"finite-differences.png", "rosenbrock.png", "rosenbrock-loss.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png);
        }
    }
}
