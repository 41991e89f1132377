package dev.gradbook.core.kernels;

/**
 * Run by {@link KernelsTest} in a JVM started without {@code --add-modules jdk.incubator.vector}:
 * prints the default kernel's name, one product through it, and what {@link Kernels#simd} does.
 */
final class FallbackProbe {

    private FallbackProbe() {
    }

    public static void main(String[] args) {
        MatmulKernel kernel = Kernels.defaultKernel();
        float[] c = new float[1];
        kernel.gemm(1, 1, 2, new float[] {2, 3}, 0, false, new float[] {5, 7}, 0, false, c, 0, false);
        System.out.println("default=" + kernel.name());
        System.out.println("product=" + c[0]);
        System.out.println("available=" + Kernels.simdAvailable());
        try {
            Kernels.simd(1);
            System.out.println("simd=created");
        } catch (IllegalStateException e) {
            System.out.println("simd=" + e.getMessage());
        }
    }
}
