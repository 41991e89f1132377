package dev.gradbook.transformer.quant;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QLoRA's double quantisation of the NF4 block scales (Dettmers et al. 2023, section 3). */
class DoubleQuantizationTest {
    @Test
    void eachScaleIsWithinHalfAStepOfTheOriginal() {
        Rng rng = new Rng(4);
        float[] absmax = new float[600];                     // blocks of 256, 256 and 88
        for (int i = 0; i < absmax.length; i++) {
            absmax[i] = 0.01f + 0.05f * rng.nextFloat();
        }
        absmax[300] = 0.4f;                                  // an outlier widens only its own block's step
        DoubleQuantizedScales q = DoubleQuantizedScales.quantize(absmax);
        double mean = 0;
        for (float c : absmax) {
            mean += c;
        }
        mean /= absmax.length;
        for (int b = 0; b < absmax.length; b++) {
            int k = b / 256;
            assertTrue(Math.abs(q.scale(b) - absmax[b]) <= q.step(k) / 2 * (1 + 1e-4) + 1e-7, "scale " + b);
        }
        // step = max |c - mean| / 127 of block 1, set by the outlier
        assertEquals((0.4 - mean) / 127, q.step(1), 1e-6);
        assertTrue(q.step(0) < q.step(1) / 4, "the other blocks keep a fine step");
        assertEquals(600 + 4 * 3 + 4, q.bytes());
    }

    @Test
    void costsTheFractionOfABitPerWeightThatThePaperGives() {
        Nf4Weight q = Nf4Weight.quantizeDouble(Tensor.randn(new Rng(0), 1024, 1024));
        Nf4Weight single = Nf4Weight.quantize(Tensor.randn(new Rng(0), 1024, 1024));
        double extraBits = 8.0 * q.bytes() / (1024 * 1024) - 4;
        double extraSingle = 8.0 * single.bytes() / (1024 * 1024) - 4;
        // section 3: "reduces the memory footprint ... from 32/64 = 0.5 bits, to 8/64 + 32/(64 * 256) = 0.127 bits"
        assertEquals(0.5, extraSingle, 1e-9);
        assertEquals(8.0 / 64 + 32.0 / (64 * 256), extraBits, 1e-4);
        assertTrue(q.isDoubleQuantized());
        assertFalse(single.isDoubleQuantized());
    }

    @Test
    void changesTheWeightsOnlyByTheScaleError() {
        Tensor w = Tensor.randn(new Rng(1), 40, 64).mul(0.02f);
        for (int j = 0; j < 64; j++) {
            w.setInPlace(0f, 39, j);                          // a block of zeros
        }
        Nf4Weight single = Nf4Weight.quantize(w);
        Nf4Weight dq = Nf4Weight.quantizeDouble(w);
        Tensor a = single.dequantize();
        Tensor b = dq.dequantize();
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 64; j++) {
                // the same code times a slightly different scale: |level| <= 1
                float scaleError = Math.abs(dq.blockScale(i, j) - single.blockScale(i, j));
                assertEquals(a.get(i, j), b.get(i, j), scaleError + 1e-8, "(" + i + ", " + j + ")");
                assertTrue(scaleError <= 0.01 * single.blockScale(i, j) + 1e-9, "scale error under 1%");
            }
        }
        assertEquals(0f, b.get(39, 5), "zeros stay exactly zero");
        assertEquals("nf4 + double quantisation", dq.format());
    }

    @Test
    void aDoubleQuantizedLinearPassesGradientsToItsInput() {
        QuantizedLinear q = QuantizedLinear.of(new dev.gradbook.nn.Linear(70, 6, new Rng(0)),
                QuantizedLinear.Format.NF4_DOUBLE);
        Tensor x = Tensor.randn(new Rng(2), 3, 70).requiresGrad(true);
        GradCheck.Report report = GradCheck.check(in -> q.forward(in[0]).tanh(), x);
        assertTrue(report.passed(), report.toString());
        try (var ignored = Autograd.noGrad()) {
            assertEquals(70 * 6 / 2 + (7 + 4 + 4), q.weight.bytes()); // 7 blocks of 64 (one partial), 1 second-level block
        }
    }
}
