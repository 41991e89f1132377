package dev.gradbook.examples.efficiency;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.Digits;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.quant.Quantize;
import dev.gradbook.transformer.quant.QuantizedLinear;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>quantization: the same model in 8 and 4 bits</h2>
 *
 * <p>A trained network's weights are float32, 4 bytes each, but it does not need that precision.
 * Post-training quantisation stores each weight as a small integer code and a shared float scale,
 * and turns the code back into a float when the weight is used (Nagel et al., "A White Paper on
 * Neural Network Quantization", 2021, section 2). Symmetric absmax quantisation with b bits:
 * <pre>
 *   s = max |W| / (2^(b-1) - 1),    q = round(W / s),    W ~ q s,    |W - q s| &lt;= s / 2
 * </pre>
 * The question is who shares a scale. Per tensor, one outlier anywhere coarsens every weight; per
 * output channel (one scale per row, LLM.int8()'s vector-wise scheme, Dettmers et al. 2022,
 * section 3.1) only its own row suffers. NF4 (Dettmers et al., "QLoRA", 2023, section 3) uses 16
 * levels at the quantiles of a normal distribution with a scale per block of 64 weights, since
 * trained weights are roughly normal. Nothing is retrained: each format is applied to a copy of
 * the same trained MLP (784-256-128-10 on MNIST) and scored on the same test images.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table, at seed 42 (default run: 20,000 training images for one epoch, 10,000 test
 *       images): float32 92.61% in 940,584 bytes; int8 per channel the same 92.61% and the same
 *       answer on every test image in a quarter of the bytes; int4 per channel 92.63%, NF4 92.55%
 *       and int4 per tensor 92.61% in about an eighth, each changing the answer on about 1% of
 *       the images. A small MLP is robust; the differences between formats show in the weights.</li>
 *   <li>The mean absolute weight error: int8 0.0002, NF4 0.0024, int4 per channel 0.0037, int4
 *       per tensor 0.0065. NF4's normal-quantile levels beat uniform 4-bit levels, and one scale
 *       per matrix costs almost twice the error of a scale per row.</li>
 *   <li>{@code size.png} and {@code accuracy.png}: bytes and accuracy per format.</li>
 * </ul>
 * With {@code --quick}: 5,000 training and 2,000 test images; the same ordering.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>The biases stay float32. How much of each quantised model's size are they?</li>
 *   <li>Quantise only the first layer ({@code Quantize.linears(model, "0", ...)}): which layer is
 *       most sensitive?</li>
 *   <li>Run with {@code --train 60000}: does a better-trained model quantise as well?</li>
 * </ol>
 */
public final class QuantizationChapter implements Chapter {
    /** The formats compared, after float32. */
    static final QuantizedLinear.Format[] FORMATS = {
            QuantizedLinear.Format.INT8, QuantizedLinear.Format.INT4, QuantizedLinear.Format.NF4,
            QuantizedLinear.Format.INT4_PER_TENSOR};

    @Override
    public String id() {
        return "quantization";
    }

    @Override
    public Part part() {
        return Part.EFFICIENCY;
    }

    @Override
    public String summary() {
        return "post-training int8, int4 (per-channel and per-tensor scales) and NF4 of an MNIST MLP: size and accuracy";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positiveInt("train", "20000", "MNIST training images (one epoch)"));
    }

    /** One row of the comparison. */
    record Row(String format, long bytes, double accuracy, double weightError, double agreement) {
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        int trainSize = ctx.quick() ? 5_000 : ctx.intOption("train");
        TrainedMlp base = TrainedMlp.train(ctx, TrainedMlp.SIZES, trainSize, ctx.quick() ? 2_000 : 10_000, ctx.rng());
        ctx.section("quantising a copy of the trained model, format by format");
        List<Row> rows = new ArrayList<>();
        int[] reference = Digits.predict(base.model(), Digits.Layout.FLAT, base.test());
        rows.add(new Row("float32", floatBytes(base.model()), base.accuracy(), 0, 1));
        for (QuantizedLinear.Format f : FORMATS) {
            rows.add(quantize(base, f, reference));
        }
        printTable(ctx, rows);
        saveChart(ctx, rows);
        Result r = new Result();
        for (Row row : rows) {
            String key = row.format().replace(' ', '_');
            r.metric(key + "_accuracy", row.accuracy()).metric(key + "_bytes", row.bytes())
                    .metric(key + "_error", row.weightError()).metric(key + "_agreement", row.agreement());
        }
        return r;
    }

    private static Row quantize(TrainedMlp base, QuantizedLinear.Format format, int[] reference) {
        MLP copy = base.copy();
        List<Linear> originals = linears(copy);
        Quantize.linears(copy, ".*", format);
        long bytes = 0;
        double error = 0;
        long weights = 0;
        int i = 0;
        for (Module m : copy.namedModules().values()) {
            if (m instanceof QuantizedLinear q) {
                bytes += q.weight.bytes() + 4L * q.outFeatures;
                error += q.weight.dequantize().sub(originals.get(i++).weight).abs().sum().item();
                weights += (long) q.inFeatures * q.outFeatures;
            }
        }
        String name = format == QuantizedLinear.Format.NF4 ? "nf4" : format.quantize(originals.get(0).weight).format();
        int[] predicted = Digits.predict(copy, Digits.Layout.FLAT, base.test());
        int same = 0;
        for (int j = 0; j < predicted.length; j++) {
            same += predicted[j] == reference[j] ? 1 : 0;
        }
        return new Row(name, bytes, Digits.accuracy(copy, Digits.Layout.FLAT, base.test()), error / weights,
                (double) same / predicted.length);
    }

    private static List<Linear> linears(Module model) {
        List<Linear> out = new ArrayList<>();
        for (Module m : model.namedModules().values()) {
            if (m instanceof Linear l) {
                out.add(l);
            }
        }
        return out;
    }

    private static long floatBytes(Module model) {
        return 4L * model.parameterCount();
    }

    private static void printTable(ChapterContext ctx, List<Row> rows) {
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            table.add(List.of(r.format(), String.format(Locale.ROOT, "%,d", r.bytes()),
                    String.format(Locale.ROOT, "%.1fx", (double) rows.get(0).bytes() / r.bytes()),
                    String.format(Locale.ROOT, "%.2f%%", 100 * r.accuracy()),
                    String.format(Locale.ROOT, "%+.2f", 100 * (r.accuracy() - rows.get(0).accuracy())),
                    String.format(Locale.ROOT, "%.5f", r.weightError()),
                    String.format(Locale.ROOT, "%.2f%%", 100 * r.agreement())));
        }
        ctx.table(List.of("format", "bytes", "smaller", "test accuracy", "change (points)", "mean |W - W_q|", "same answer as fp32"), table);
    }

    private static void saveChart(ChapterContext ctx, List<Row> rows) {
        List<String> names = rows.stream().map(Row::format).toList();
        new BarChart("Model size (KB)", "format", "KB").categories(names)
                .series("size", rows.stream().mapToDouble(r -> r.bytes() / 1024.0).toArray())
                .save(ctx.outFile("size.png"));
        new BarChart("Test accuracy after post-training quantisation", "format", "accuracy").categories(names)
                .series("accuracy", rows.stream().mapToDouble(Row::accuracy).toArray())
                .save(ctx.outFile("accuracy.png"));
        ctx.println("pictures: size.png, accuracy.png in " + ctx.outDir());
    }
}
