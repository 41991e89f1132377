package dev.gradbook.benchmarks;

/**
 * The matrix-product shapes of {@link MatmulBenchmark}'s {@code shape} parameter: {@code "n"}
 * for the square {@code n x n x n}, or {@code "m x k x n"} (written {@code "64x784x256"}) for
 * {@code A (m, k)} times {@code B (k, n)}.
 */
final class Shapes {

    private Shapes() {
    }

    /** {@code {m, k, n}} of a shape parameter. */
    static int[] parse(String shape) {
        String[] parts = shape.split("x");
        if (parts.length == 1) {
            int n = Integer.parseInt(parts[0].trim());
            return new int[] {n, n, n};
        }
        if (parts.length == 3) {
            return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim())};
        }
        throw new IllegalArgumentException("shape must be \"n\" or \"m x k x n\", got \"" + shape + "\"");
    }

    /** Floating-point operations of the product: a multiply and an add for each of m n k terms. */
    static double flops(String shape) {
        int[] mkn = parse(shape);
        return 2.0 * mkn[0] * mkn[1] * mkn[2];
    }
}
