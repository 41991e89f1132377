package dev.gradbook.examples.efficiency;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizationChapterTest {
    @Test
    void fewerBitsSmallerModelSimilarAccuracyAndScalesMatter() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("quantization");
        Result r = run.result();
        double fp32 = r.get("float32_bytes");
        assertTrue(r.get("int8_bytes") * 3.9 < fp32, "int8 is about 4x smaller");
        assertTrue(r.get("int4_per_channel_bytes") * 7.5 < fp32, "int4 is about 8x smaller");
        assertTrue(r.get("nf4_bytes") * 6.5 < fp32, "nf4 is about 7x smaller (block scales included)");
        assertTrue(r.get("int8_agreement") > 0.99, "int8 answers like float32: " + r.get("int8_agreement"));
        for (String f : new String[] {"int8", "int4_per_channel", "nf4", "int4_per_tensor"}) {
            assertTrue(Math.abs(r.get(f + "_accuracy") - r.get("float32_accuracy")) < 0.02, f);
        }
        // the weight error orders the formats: 8 bits, then NF4, then uniform 4 bits per row, then per matrix
        assertTrue(r.get("int8_error") < r.get("nf4_error"));
        assertTrue(r.get("nf4_error") < r.get("int4_per_channel_error"));
        assertTrue(r.get("int4_per_channel_error") < r.get("int4_per_tensor_error"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("size.png")) > 3);
    }
}
