package dev.gradbook.benchmarks;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Kernels;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.SGD;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
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
 * One full training step of an MLP 784-256-256-10 (ReLU between layers) on a batch of 64:
 * forward, mean cross-entropy, backward, plain SGD update. Measured two ways:
 * <ul>
 *   <li>{@link #gradbook}: written with Gradbook's {@code nn} ({@code MLP}, {@code Losses},
 *       {@code SGD}) and autograd, with the SIMD kernel on {@code threads} threads;</li>
 *   <li>{@link #ejml}: the same network hand-written on EJML ({@link EjmlMlp}), one thread.</li>
 * </ul>
 * Sample mode: {@link Report} shows the median step time ({@code p0.50}); with {@code -prof gc}
 * JMH adds the bytes allocated per step ({@code gc.alloc.rate.norm}). The same step in PyTorch is
 * {@code benchmarks/pytorch/mlp_step.py}.
 *
 * <p>Before measuring, both versions take one step from the same weights and data and must reach
 * the same loss, so the baseline is known to compute the same thing.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.QUIET})
public class MlpStepBenchmark {

    static final int[] SIZES = {784, 256, 256, 10};
    static final int BATCH = 64;
    static final float LEARNING_RATE = 0.01f;

    /** The Gradbook model, its optimizer and one fixed batch. */
    @State(Scope.Benchmark)
    public static class GradbookMlp {
        @Param({"1", "2"})
        public int threads;

        MLP model;
        SGD sgd;
        Tensor x;
        IntTensor y;

        @Setup
        public void setup() {
            Kernels.setDefault(Kernels.simd(threads));
            Rng rng = new Rng(7);
            model = new MLP(SIZES, ReLU::new, rng);
            sgd = new SGD(model.namedParameters(), LEARNING_RATE);
            x = Tensor.randn(rng, BATCH, SIZES[0]);
            y = IntTensor.randint(rng, 0, SIZES[SIZES.length - 1], BATCH);
        }

        @TearDown
        public void tearDown() {
            Kernels.setDefault(null);
        }

        float step() {
            sgd.zeroGrad();
            Tensor loss = Losses.crossEntropy(model.forward(x), y);
            loss.backward();
            sgd.step();
            return loss.item();
        }
    }

    /** The EJML version of the same model and batch. */
    @State(Scope.Benchmark)
    public static class EjmlBaseline {
        EjmlMlp model;
        FMatrixRMaj x;
        int[] y;

        @Setup
        public void setup() {
            GradbookMlp reference = new GradbookMlp();
            reference.threads = 1;
            reference.setup();
            model = new EjmlMlp(SIZES, BATCH, new Rng(7));
            copyWeights(reference.model, model);
            x = FMatrixRMaj.wrap(BATCH, SIZES[0], reference.x.data().clone());
            y = reference.y.toArray();
            checkSameStep(reference, this);
            reference.tearDown();
        }
    }

    @Benchmark
    public float gradbook(GradbookMlp state) {
        return state.step();
    }

    @Benchmark
    public float ejml(EjmlBaseline state) {
        return state.model.step(state.x, state.y, LEARNING_RATE);
    }

    private static void copyWeights(MLP from, EjmlMlp to) {
        int layer = 0;
        for (int i = 0; i < from.size(); i++) {
            if (from.get(i) instanceof Linear linear) {
                to.setLayer(layer++, linear.weight.data(), linear.bias.data());
            }
        }
    }

    /** Two steps each from the same start: equal first losses check forward, equal second losses the update. */
    private static void checkSameStep(GradbookMlp gradbook, EjmlBaseline ejml) {
        for (int step = 0; step < 2; step++) {
            float expected = gradbook.step();
            float actual = ejml.model.step(ejml.x, ejml.y, LEARNING_RATE);
            if (!(Math.abs(actual - expected) <= 1e-4f * Math.max(1f, Math.abs(expected)))) {
                throw new IllegalStateException("MlpStepBenchmark: the EJML baseline's loss " + actual
                        + " differs from Gradbook's " + expected + " at step " + step);
            }
        }
    }
}
