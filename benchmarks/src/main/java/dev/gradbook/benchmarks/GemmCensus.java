package dev.gradbook.benchmarks;

import dev.gradbook.core.kernels.Kernels;
import dev.gradbook.core.kernels.MatmulKernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which matrix products one training step runs, and how fast each shape goes: a kernel that
 * times every call of the real one, put in as the default kernel while the step of
 * {@link GptStepBenchmark} or {@link MlpStepBenchmark} runs. It prints one line per distinct
 * product ({@code m x k x n}, which operand is transposed), its calls per step, microseconds per
 * call, GFLOP/s, and its share of the whole step, so a profile that says "the time is in matmul"
 * can say which matmul.
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *       dev.gradbook.benchmarks.GemmCensus gpt|mlp [threads] [steps]
 * </pre>
 */
public final class GemmCensus implements MatmulKernel {

    /** One kind of product, as the kernel sees it. */
    record Product(int m, int k, int n, boolean transA, boolean transB) {
        String label() {
            return m + " x " + k + " x " + n + (transA ? "  A^T" : "") + (transB ? "  B^T" : "");
        }
    }

    private final MatmulKernel inner;
    private final Map<Product, long[]> callsAndNanos = new LinkedHashMap<>();

    GemmCensus(MatmulKernel inner) {
        this.inner = inner;
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOffset, boolean transA, float[] b, int bOffset,
                     boolean transB, float[] c, int cOffset, boolean accumulate) {
        long start = System.nanoTime();
        inner.gemm(m, n, k, a, aOffset, transA, b, bOffset, transB, c, cOffset, accumulate);
        long nanos = System.nanoTime() - start;
        synchronized (callsAndNanos) {
            long[] entry = callsAndNanos.computeIfAbsent(new Product(m, k, n, transA, transB), p -> new long[2]);
            entry[0]++;
            entry[1] += nanos;
        }
    }

    @Override
    public String name() {
        return "census(" + inner.name() + ")";
    }

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "gpt";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Supplier<Float> step = switch (model) {
            case "gpt" -> gptStep(threads);
            case "mlp" -> mlpStep(threads);
            default -> throw new IllegalArgumentException("model must be gpt or mlp, got " + model);
        };
        for (int i = 0; i < steps; i++) {       // warm-up: let the JIT compile everything
            step.get();
        }
        GemmCensus census = new GemmCensus(Kernels.defaultKernel());
        Kernels.setDefault(census);
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.get();
        }
        double stepNanos = (System.nanoTime() - start) / (double) steps;
        census.print(model, threads, steps, stepNanos);
    }

    private static Supplier<Float> gptStep(int threads) {
        GptStepBenchmark benchmark = new GptStepBenchmark();
        benchmark.threads = threads;
        benchmark.fused = true;
        benchmark.setup();
        return benchmark::step;
    }

    private static Supplier<Float> mlpStep(int threads) {
        MlpStepBenchmark.GradbookMlp state = new MlpStepBenchmark.GradbookMlp();
        state.threads = threads;
        state.setup();
        return state::step;
    }

    private void print(String model, int threads, int steps, double stepNanos) {
        List<Map.Entry<Product, long[]>> rows = new ArrayList<>(callsAndNanos.entrySet());
        rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        long totalNanos = rows.stream().mapToLong(e -> e.getValue()[1]).sum();
        double totalFlops = 0;
        System.out.printf(Locale.ROOT, "%s step, %d kernel thread(s): %.2f ms per step, of which matmul %.2f ms "
                + "(%.0f%%)%n%n", model, threads, stepNanos / 1e6, totalNanos / 1e6 / steps,
                100 * totalNanos / steps / stepNanos);
        System.out.println("| product m x k x n | calls/step | us/call | GFLOP/s | % of step |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Map.Entry<Product, long[]> row : rows) {
            Product p = row.getKey();
            long calls = row.getValue()[0];
            long nanos = row.getValue()[1];
            double flops = 2.0 * p.m() * p.k() * p.n() * calls;
            totalFlops += flops;
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %.1f%% |%n", p.label(),
                    (double) calls / steps, nanos / 1e3 / calls, flops / nanos, 100.0 * nanos / steps / stepNanos);
        }
        System.out.printf(Locale.ROOT, "%nall products: %.2f GFLOP per step at %.1f GFLOP/s%n",
                totalFlops / steps / 1e9, totalFlops / totalNanos);
    }
}
