package dev.gradbook.examples.foundations;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearAlgebraChapterTest {
    @Test
    void quickRunChecksEveryIdentityAndDrawsTheMaps() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("linear-algebra");
        Result r = run.result();
        assertTrue(r.get("eigen_residual") < 1e-4, "max |A v - lambda v| = " + r.get("eigen_residual"));
        assertTrue(r.get("svd_reconstruction_error") < 1e-4, "max |M - U S V^T| = " + r.get("svd_reconstruction_error"));
        assertTrue(r.get("inverse_error") < 1e-4);
        assertTrue(r.get("det_relative_difference") < 1e-4, "cofactor vs LU determinant");
        assertTrue(r.get("power_iteration_error") < 1e-4, "power iteration finds EJML's top eigenvalue");
        assertTrue(r.get("eckart_young_gap") < 1e-4, "||M - M_1||_2 = s_2");
        for (String png : new String[] {"rotation.png", "shear.png", "stretch.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png);
        }
    }

    @Test
    void cofactorExpansionGivesTextbookDeterminants() {
        assertEquals(-6, LinearAlgebraChapter.cofactorDet(Tensor.of(new float[][] {{4, 3}, {6, 3}})), 1e-9);
        // the classic 3x3 example: 6(-14 - 40) - 1(28 - 10) + 1(32 + 4) = -306
        assertEquals(-306, LinearAlgebraChapter.cofactorDet(Tensor.of(new float[][] {{6, 1, 1}, {4, -2, 5}, {2, 8, 7}})),
                1e-9);
    }

    @Test
    void twoByTwoEigenvaluesFromTheCharacteristicPolynomial() {
        LinearMaps.Map2 stretch = new LinearMaps.Map2("s", "s.png", 2, 1, 1, 2);
        LinearMaps.Eigen2 e = LinearMaps.eigen(stretch);
        assertArrayEquals(new double[] {3, 1}, e.values(), 1e-12);
        assertEquals(Math.sqrt(0.5), Math.abs(e.vectors()[0][0]), 1e-12);
        LinearMaps.Eigen2 shear = LinearMaps.eigen(new LinearMaps.Map2("h", "h.png", 1, 1, 0, 1));
        assertEquals(1, shear.values().length, "a shear has a single eigenvector direction");
        assertArrayEquals(new double[] {1, 0}, shear.vectors()[0], 1e-12);
        double t = Math.toRadians(30);
        LinearMaps.Eigen2 rotation = LinearMaps.eigen(new LinearMaps.Map2("r", "r.png", Math.cos(t), -Math.sin(t),
                Math.sin(t), Math.cos(t)));
        assertTrue(rotation.complex());
        assertEquals(1, Math.hypot(rotation.re(), rotation.im()), 1e-12, "|lambda| = 1 for a rotation");
    }
}
