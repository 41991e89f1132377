package dev.gradbook.transformer.quant;

import dev.gradbook.core.Tensor;

/**
 * A weight matrix {@code (rows, cols)} stored in fewer bits than float32, that can give back an
 * approximation of itself: {@link Int8Weight} (8 bits per weight) and {@link Nf4Weight} (4).
 */
public abstract class QuantizedWeight {
    protected final int rows;
    protected final int cols;

    protected QuantizedWeight(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The float32 approximation of the original matrix, {@code (rows, cols)}: a new tensor. */
    public abstract Tensor dequantize();

    /** The storage it takes, codes and scales together, in bytes. */
    public abstract long bytes();

    /** A short name of the format, such as {@code "int8"}. */
    public abstract String format();
}
