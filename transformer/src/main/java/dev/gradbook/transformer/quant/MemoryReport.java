package dev.gradbook.transformer.quant;

import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;

import java.util.Locale;

/**
 * The memory the Linear weight matrices of a model take, and would take, in each format:
 * float32 (4 bytes per weight), int8 with a float32 scale per row ({@link Int8Weight}), and NF4
 * with a float32 scale per block of 64 ({@link Nf4Weight}). Biases, embeddings and norms are not
 * counted: they stay in float32 in every format. Layers already quantised count by their shape.
 */
public record MemoryReport(int matrices, long weights, long fp32Bytes, long int8Bytes, long nf4Bytes) {
    /** Sums over every {@link Linear} and {@link QuantizedLinear} of {@code model}. */
    public static MemoryReport of(Module model) {
        int matrices = 0;
        long weights = 0;
        long int8 = 0;
        long nf4 = 0;
        for (Module m : model.namedModules().values()) {
            int rows;
            int cols;
            if (m instanceof Linear linear) {
                rows = linear.outFeatures;
                cols = linear.inFeatures;
            } else if (m instanceof QuantizedLinear q) {
                rows = q.outFeatures;
                cols = q.inFeatures;
            } else {
                continue;
            }
            matrices++;
            weights += (long) rows * cols;
            int8 += Int8Weight.bytesFor(rows, cols);
            nf4 += Nf4Weight.bytesFor(rows, cols, Nf4Weight.DEFAULT_BLOCK_SIZE);
        }
        return new MemoryReport(matrices, weights, 4 * weights, int8, nf4);
    }

    /**
     * The bytes that the Linear weight matrices of {@code model} take as they are stored now,
     * measured rather than predicted: 4 per float32 weight of a {@link Linear}, and for a
     * {@link QuantizedLinear} what its {@link QuantizedWeight} holds (codes and scales, counted
     * from its arrays). Biases, embeddings, norms and LoRA factors are not counted, as in
     * {@link #of}. Quantise a model, then call this to see what it really saved.
     */
    public static long storedBytes(Module model) {
        long bytes = 0;
        for (Module m : model.namedModules().values()) {
            if (m instanceof Linear linear) {
                bytes += 4L * linear.weight.numel();
            } else if (m instanceof QuantizedLinear q) {
                bytes += q.weight.bytes();
            }
        }
        return bytes;
    }

    /** Bits per weight, scales included, for a byte count of this report. */
    public double bitsPerWeight(long bytes) {
        return weights == 0 ? 0 : 8.0 * bytes / weights;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d weight matrices, %,d weights:%n"
                        + "  fp32  %,12d bytes  (%.2f bits per weight)%n"
                        + "  int8  %,12d bytes  (%.2f bits per weight, %.1fx smaller)%n"
                        + "  nf4   %,12d bytes  (%.2f bits per weight, %.1fx smaller)",
                matrices, weights, fp32Bytes, bitsPerWeight(fp32Bytes),
                int8Bytes, bitsPerWeight(int8Bytes), (double) fp32Bytes / Math.max(1, int8Bytes),
                nf4Bytes, bitsPerWeight(nf4Bytes), (double) fp32Bytes / Math.max(1, nf4Bytes));
    }
}
