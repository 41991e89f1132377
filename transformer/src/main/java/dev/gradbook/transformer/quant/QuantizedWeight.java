package dev.gradbook.transformer.quant;

import dev.gradbook.core.Tensor;

/**
 * A weight matrix {@code (rows, cols)} stored in fewer bits than float32, that can give back an
 * approximation of itself: {@link Int8Weight} (8 bits per weight) and {@link Nf4Weight} (4).
 */
public interface QuantizedWeight {
    int rows();

    int cols();

    /** The float32 approximation of the original matrix, {@code (rows, cols)}: a new tensor. */
    Tensor dequantize();

    /** The storage it takes, codes and scales together, in bytes. */
    long bytes();

    /** A short name of the format, such as {@code "int8"}. */
    String format();
}
