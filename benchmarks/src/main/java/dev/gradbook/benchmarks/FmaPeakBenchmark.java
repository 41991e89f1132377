package dev.gradbook.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The float32 peak that one core actually delivers to Java: {@value #CHAINS} independent chains
 * of fused multiply-adds on the widest vectors ({@code FloatVector.SPECIES_PREFERRED}, 16 lanes
 * with AVX-512), nothing loaded or stored. Enough chains to cover the FMA latency times the
 * number of FMA pipes, so the loop runs at the FMA throughput:
 * <pre>
 *   peak = clock x (vector FMAs per cycle) x lanes x 2 flops
 * </pre>
 * The primary score is vector FMA instructions per nanosecond; the secondary {@code flops}, kept
 * by {@link Flops}, is floating-point operations per nanosecond, i.e. GFLOP/s. {@link Report}
 * uses it as the per-core peak when none is given. A matrix multiply can approach this number
 * but not pass it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.QUIET})
@State(Scope.Thread)
public class FmaPeakBenchmark {

    static final int CHAINS = 12;
    static final int ROUNDS = 1024;

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Counts floating-point operations: JMH reports them per nanosecond, which is GFLOP/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    private float scale = 0.999f;
    private float shift = 1e-3f;

    @Benchmark
    @OperationsPerInvocation(CHAINS * ROUNDS)
    public float fmaChains(Flops counter) {
        counter.flops += 2L * SPECIES.length() * CHAINS * ROUNDS;
        FloatVector x = FloatVector.broadcast(SPECIES, scale);
        FloatVector y = FloatVector.broadcast(SPECIES, shift);
        FloatVector a0 = y;
        FloatVector a1 = y.add(1f);
        FloatVector a2 = y.add(2f);
        FloatVector a3 = y.add(3f);
        FloatVector a4 = y.add(4f);
        FloatVector a5 = y.add(5f);
        FloatVector a6 = y.add(6f);
        FloatVector a7 = y.add(7f);
        FloatVector a8 = y.add(8f);
        FloatVector a9 = y.add(9f);
        FloatVector a10 = y.add(10f);
        FloatVector a11 = y.add(11f);
        for (int r = 0; r < ROUNDS; r++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
                .add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
