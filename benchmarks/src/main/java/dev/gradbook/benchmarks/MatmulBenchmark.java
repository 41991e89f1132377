package dev.gradbook.benchmarks;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Kernels;
import dev.gradbook.core.kernels.MatmulKernel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One float32 matrix product {@code C = A B}, {@code A (m, k)}, {@code B (k, n)}, six ways, from
 * the textbook loop to the library call:
 * <ol>
 *   <li>{@link #loops}: three nested loops over plain arrays;</li>
 *   <li>{@link #ejml}: EJML's {@code CommonOps_FDRM.mult}, the portable reference kernel;</li>
 *   <li>{@link #ejmlThreads}: EJML's {@code CommonOps_MT_FDRM.mult} on its own thread pool;</li>
 *   <li>{@link #simdOneThread} and {@link #simdAllThreads}: Gradbook's Vector API kernel
 *       ({@code Kernels.simd(threads)}) called directly on the arrays;</li>
 *   <li>{@link #tensorMatmul}: {@code Tensor.matmul} end to end, with the kernel Gradbook picks
 *       by default, the allocation of the result and the shape checks included.</li>
 * </ol>
 * Each product costs {@code 2 m n k} floating-point operations (a multiply and an add per term);
 * {@link Report} turns the measured time into GFLOP/s and a share of the machine's peak.
 *
 * <p>Shapes ({@link #shape}): {@code "n"} is the square product {@code n x n x n};
 * {@code "m x k x n"} a rectangular one. {@code 64x784x256} is the first layer of the MLP of
 * {@link MlpStepBenchmark}: a batch of 64 images of 784 pixels times a 784 x 256 weight matrix.
 *
 * <p>Every trial first checks each implementation against EJML, so a broken kernel fails the
 * benchmark (and the CI smoke run) instead of reporting a fast wrong answer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.QUIET})
@State(Scope.Benchmark)
public class MatmulBenchmark {

    @Param({"64", "256", "1024", "64x784x256"})
    public String shape;

    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;
    private FMatrixRMaj matA;
    private FMatrixRMaj matB;
    private FMatrixRMaj matC;
    private Tensor tensorA;
    private Tensor tensorB;
    private MatmulKernel simdOne;
    private MatmulKernel simdAll;

    @Setup
    public void setup() {
        int[] mkn = Shapes.parse(shape);
        m = mkn[0];
        k = mkn[1];
        n = mkn[2];
        Rng rng = new Rng(1);
        tensorA = Tensor.randn(rng, m, k);
        tensorB = Tensor.randn(rng, k, n);
        a = tensorA.data();
        b = tensorB.data();
        c = new float[m * n];
        // wrap, not copy: EJML reads the same arrays as the other variants
        matA = FMatrixRMaj.wrap(m, k, a);
        matB = FMatrixRMaj.wrap(k, n, b);
        matC = new FMatrixRMaj(m, n);
        simdOne = Kernels.simd(1);
        simdAll = Kernels.simd(Runtime.getRuntime().availableProcessors());
        Kernels.setDefault(null);  // tensorMatmul measures the automatic choice
        checkAgainstEjml();
    }

    @TearDown
    public void tearDown() {
        Kernels.setDefault(null);
    }

    /**
     * The loop a textbook writes, in the order {@code i, p, j} so that the innermost loop walks
     * rows of {@code B} and {@code C} contiguously (the {@code i, j, p} order strides down the
     * columns of {@code B} and is several times slower again). No blocking, no packing.
     */
    @Benchmark
    public float[] loops() {
        Arrays.fill(c, 0f);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
        return c;
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        CommonOps_FDRM.mult(matA, matB, matC);
        return matC;
    }

    @Benchmark
    public FMatrixRMaj ejmlThreads() {
        CommonOps_MT_FDRM.mult(matA, matB, matC);
        return matC;
    }

    @Benchmark
    public float[] simdOneThread() {
        simdOne.gemm(m, n, k, a, 0, false, b, 0, false, c, 0, false);
        return c;
    }

    @Benchmark
    public float[] simdAllThreads() {
        simdAll.gemm(m, n, k, a, 0, false, b, 0, false, c, 0, false);
        return c;
    }

    @Benchmark
    public Tensor tensorMatmul() {
        return tensorA.matmul(tensorB);
    }

    /** Runs every variant once and compares it with EJML's single-threaded product. */
    private void checkAgainstEjml() {
        float[] expected = ejml().data.clone();
        check("loops", loops(), expected);
        check("ejmlThreads", ejmlThreads().data, expected);
        check("simdOneThread", simdOneThread(), expected);
        check("simdAllThreads", simdAllThreads(), expected);
        check("tensorMatmul", tensorMatmul().data(), expected);
    }

    private void check(String variant, float[] actual, float[] expected) {
        // a sum of k products of unit normals has size ~sqrt(k); float32 keeps ~7 digits of it
        double tolerance = 1e-4 * Math.sqrt(k) * 10;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                throw new IllegalStateException("MatmulBenchmark: " + variant + " differs from EJML at " + shape
                        + ", element " + i + ": " + actual[i] + " != " + expected[i]);
            }
        }
    }
}
